/* Fuzz the JSON string unescaper: never out of bounds, never longer than
 * its input. */
#include <stdint.h>
#include <stdlib.h>

#include "input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *out = NULL;
    size_t cap = 0;
    uint32_t repairs = 0;
    size_t n = json_unescape((const char *)data, size, &out, &cap, &repairs);
    if (n != (size_t)-1 && n > size) abort();
    free(out);
    return 0;
}
