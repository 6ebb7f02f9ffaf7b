"""culpa from Python, with nothing but the standard library (ctypes).

    import culpa
    culpa.score("The waiter was rude.")["verdict"]        # 'business'
    rows = culpa.score_file("reviews.jsonl")               # one dict per record, in order

The shared library is found through $CULPA_LIBRARY, next to this file, or
the system's library path; the lexicons through $CULPA_LEXICONS or the
library's installed default.  Results are the rows `culpa score` writes, as
dicts.  Only functions that pass strings and opaque pointers are called, so
no C struct layout is copied here.
"""

import ctypes
import ctypes.util
import json
import os

__all__ = ["Culpa", "CulpaError", "score", "score_file"]

_ABI_MAJOR = 0  # the library's major version this module speaks

_WRITE_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(ctypes.c_char), ctypes.c_size_t)


class CulpaError(RuntimeError):
    """A culpa call failed; the message says why (file and line for lexicons)."""


def _find_library():
    candidates = [os.environ.get("CULPA_LIBRARY")]
    here = os.path.dirname(os.path.abspath(__file__))
    candidates += [os.path.join(here, "libculpa.so.0"), ctypes.util.find_library("culpa"), "libculpa.so.0"]
    for path in candidates:
        if not path:
            continue
        try:
            return ctypes.CDLL(path)
        except OSError:
            continue
    raise CulpaError("cannot find libculpa (set CULPA_LIBRARY to its path)")


def _bind(lib):
    def fn(name, restype, *argtypes):
        f = getattr(lib, name)
        f.restype, f.argtypes = restype, list(argtypes)
        return f

    vp, cp, sz = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t
    return {
        "version": fn("culpa_version_number", ctypes.c_uint),
        "status_str": fn("culpa_status_str", cp, ctypes.c_int),
        "error_size": fn("culpa_error_size", sz),
        "error_message": fn("culpa_error_message", cp, vp),
        "lexicon_load": fn("culpa_lexicon_load", ctypes.c_int, cp, cp, ctypes.POINTER(vp), vp),
        "lexicon_free": fn("culpa_lexicon_free", None, vp),
        "scorer_new": fn("culpa_scorer_new", vp, vp),
        "scorer_free": fn("culpa_scorer_free", None, vp),
        "scorer_set_lang": fn("culpa_scorer_set_lang", ctypes.c_int, vp, cp),
        "scorer_set_explain": fn("culpa_scorer_set_explain", None, vp, ctypes.c_int),
        "score_json": fn("culpa_score_json", sz, vp, cp, sz, ctypes.c_char_p, sz),
        "options_new": fn("culpa_options_new", vp),
        "options_free": fn("culpa_options_free", None, vp),
        "options_set": fn("culpa_options_set", ctypes.c_int, vp, cp, cp),
        "options_set_write": fn("culpa_options_set_write", None, vp, _WRITE_FN, vp),
        "score_file": fn("culpa_score_file", ctypes.c_int, vp, cp, vp, vp, vp),
    }


class Culpa:
    """A loaded lexicon and a scorer.  One per thread; close() or use `with`."""

    def __init__(self, lexicons=None, langs=None, lang=None, explain=False):
        self._lib = _find_library()
        self._c = _bind(self._lib)
        major = self._c["version"]() // 10000
        if major != _ABI_MAJOR:
            raise CulpaError("libculpa major version %d, this module speaks %d" % (major, _ABI_MAJOR))
        lexicons = lexicons or os.environ.get("CULPA_LEXICONS")
        err = ctypes.create_string_buffer(self._c["error_size"]())
        lex = ctypes.c_void_p()
        status = self._c["lexicon_load"](_b(lexicons), _b(langs), ctypes.byref(lex), err)
        if status != 0:
            raise CulpaError(self._c["error_message"](err).decode("utf-8", "replace"))
        self._lex = lex
        self._scorer = self._c["scorer_new"](lex)
        self._lang = lang
        self._explain = explain
        if lang and self._c["scorer_set_lang"](self._scorer, _b(lang)) != 0:
            raise CulpaError("language %r is not in the lexicon" % lang)
        self._c["scorer_set_explain"](self._scorer, 1 if explain else 0)
        self._buf = ctypes.create_string_buffer(4096)

    def score(self, text):
        """The result for one text, as a dict (lang, sentiment, blame, ...)."""
        data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        need = self._c["score_json"](self._scorer, data, len(data), self._buf, len(self._buf))
        if need == 0:
            raise CulpaError("scoring failed")
        if need >= len(self._buf):
            self._buf = ctypes.create_string_buffer(need + 1)
            self._c["score_json"](self._scorer, data, len(data), self._buf, len(self._buf))
        return json.loads(self._buf.value.decode("utf-8"))

    def score_file(self, path, **options):
        """Every record of a file as a dict, in input order.  Options are
        those of culpa_options_set: input_format, text_field, id_field,
        no_header, threads, shard ("K/N"), lang, explain."""
        chunks = []

        def write(_user, data, size):
            chunks.append(ctypes.string_at(data, size))
            return 0

        callback = _WRITE_FN(write)
        opt = self._c["options_new"]()
        try:
            settings = {"output_format": "jsonl", "lang": self._lang, "explain": self._explain}
            settings.update(options)
            for name, value in settings.items():
                if value is None:
                    continue
                if isinstance(value, bool):
                    value = int(value)
                if self._c["options_set"](opt, _b(name), _b(str(value))) != 0:
                    raise CulpaError("bad option %s=%r" % (name, value))
            self._c["options_set_write"](opt, callback, None)
            err = ctypes.create_string_buffer(self._c["error_size"]())
            status = self._c["score_file"](self._lex, _b(os.fspath(path)), opt, None, err)
            if status != 0:
                message = self._c["error_message"](err).decode("utf-8", "replace")
                raise CulpaError(message or self._c["status_str"](status).decode())
        finally:
            self._c["options_free"](opt)
        return [json.loads(line) for line in b"".join(chunks).splitlines() if line]

    def close(self):
        if self._scorer:
            self._c["scorer_free"](self._scorer)
            self._c["lexicon_free"](self._lex)
            self._scorer = self._lex = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


def _b(value):
    return None if value is None else value.encode("utf-8")


_default = None


def _instance():
    global _default
    if _default is None:
        _default = Culpa()
    return _default


def score(text):
    """Score one text with the default lexicons: a dict."""
    return _instance().score(text)


def score_file(path, **options):
    """Score every record of a file with the default lexicons: a list of dicts."""
    return _instance().score_file(path, **options)
