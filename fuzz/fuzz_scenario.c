/*
 * fuzz_scenario.c - libFuzzer target for the scenario loader.
 *
 * The input is a scenario file. If its first line is "#set PATH=VALUE" (a YAML
 * comment, so the file stays loadable), that text is also passed as one
 * --set, so the override code is fuzzed with the same input. Diagnostics are
 * printed to a memory stream to exercise the caret printer too; everything is
 * freed, so LeakSanitizer sees any leak on any error path.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    char *set = NULL;
    if (size > 5 && memcmp(text, "#set ", 5) == 0) {
        const char *nl = memchr(text, '\n', size);
        size_t len = (size_t)((nl ? nl : text + size) - (text + 5));
        set = malloc(len + 1);
        if (!set)
            return 0;
        memcpy(set, text + 5, len);
        set[len] = '\0'; /* an embedded NUL just shortens the --set */
    }
    const char *sets[1] = {set};
    scn_diags d = {0};
    scenario *s = NULL;
    int rc = scenario_load("fuzz.yaml", text, size, sets, set ? 1 : 0, &s, &d);
    if ((rc == 0) != (s != NULL) || (rc != 0 && d.n == 0))
        abort(); /* the contract: success <=> a scenario; failure <=> at least one diagnostic */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f) {
        scn_diags_print(&d, f);
        fclose(f);
    }
    free(buf);
    scenario_free(s);
    scn_diags_free(&d);
    free(set);
    return 0;
}
