/* The public header compiles on its own, in strict C11, with nothing before it. */
#include "culpa.h"

int header_alone_uses_types(void);

int header_alone_uses_types(void)
{
    culpa_result r = {0};
    culpa_options o;
    culpa_stats st = {0};
    culpa_error e;
    (void)o;
    (void)e;
    return (int)r.verdict + (int)st.records + CULPA_VERSION_NUMBER + CULPA_ERR_NOMEM;
}
