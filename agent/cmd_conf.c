/*
 * cmd_conf.c - "headroom check-config [-c FILE]": load and validate the
 * configuration exactly as the agent will, print the effective values
 * (every key, defaults filled in) and exit 0, or print each error as
 * FILE:LINE: [section] key: problem and exit 78.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "conf.h"

static struct hr_conf conf;

int
cmd_check_config(int argc, char **argv)
{
	const char *path = HR_CONF_DEFAULT;
	int i;

	for (i = 0; i < argc; i++) {
		if ((strcmp(argv[i], "-c") == 0 ||
		    strcmp(argv[i], "--config") == 0) && i + 1 < argc) {
			path = argv[++i];
		} else if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			printf("usage: headroom check-config [-c FILE]\n"
			    "  validate FILE (default %s) and print the "
			    "effective configuration\n", HR_CONF_DEFAULT);
			return HR_EXIT_OK;
		} else {
			fprintf(stderr, "headroom check-config: unknown "
			    "argument '%s'\nusage: headroom check-config "
			    "[-c FILE]\n", argv[i]);
			return HR_EXIT_USAGE;
		}
	}
	if (conf_load(&conf, path, stderr) != 0)
		return HR_EXIT_CONFIG;
	printf("# %s: valid; effective configuration:\n", path);
	conf_print(&conf, stdout);
	return HR_EXIT_OK;
}
