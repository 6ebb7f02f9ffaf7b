/* Filling a caller's culpa_error. */
#ifndef CULPA_ERROR_H
#define CULPA_ERROR_H

#include "culpa.h"

/* Fill *err (when not NULL) with st, path, line and a printf-style message
 * prefixed by "path:line: " (or "path: " for line 0), and return st so that
 * callers can write `return set_error(...)`. */
culpa_status set_error(culpa_error *err, culpa_status st, const char *path, unsigned line,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Reset *err to CULPA_OK (when not NULL). */
void clear_error(culpa_error *err);

#endif
