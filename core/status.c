/* Versions, status names and messages, error filling. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "culpa.h"
#include "error.h"

unsigned culpa_version_number(void) { return CULPA_VERSION_NUMBER; }

const char *culpa_version_string(void) { return CULPA_VERSION_STRING; }

const char *culpa_status_str(culpa_status st)
{
    switch (st) {
#define CULPA_STATUS_MESSAGE_(name, value, message) \
    case name:                                       \
        return message;
        CULPA_STATUS_TABLE(CULPA_STATUS_MESSAGE_)
#undef CULPA_STATUS_MESSAGE_
    }
    return "unknown status";
}

const char *culpa_status_name(culpa_status st)
{
    switch (st) {
#define CULPA_STATUS_NAME_(name, value, message) \
    case name:                                    \
        return #name;
        CULPA_STATUS_TABLE(CULPA_STATUS_NAME_)
#undef CULPA_STATUS_NAME_
    }
    return "CULPA_UNKNOWN";
}

void clear_error(culpa_error *err)
{
    if (!err) return;
    err->status = CULPA_OK;
    err->line = 0;
    err->path[0] = '\0';
    err->message[0] = '\0';
}

culpa_status set_error(culpa_error *err, culpa_status st, const char *path, unsigned line,
                       const char *fmt, ...)
{
    if (!err) return st;
    err->status = st;
    err->line = line;
    snprintf(err->path, sizeof err->path, "%s", path ? path : "");
    int n = 0;
    if (path && *path)
        n = line ? snprintf(err->message, sizeof err->message, "%s:%u: ", path, line)
                 : snprintf(err->message, sizeof err->message, "%s: ", path);
    if (n < 0 || (size_t)n >= sizeof err->message) n = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message + n, sizeof err->message - (size_t)n, fmt, ap);
    va_end(ap);
    return st;
}
