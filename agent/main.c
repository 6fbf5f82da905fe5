/*
 * main.c - the headroom binary: dispatch to a sub-command.
 */
#include <stdio.h>
#include <string.h>

#include "../platform/log.h"
#include "cmd.h"

#ifndef HR_VERSION
#define HR_VERSION "0.1.0-dev"
#endif

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: headroom <command> [options]\n"
	    "commands:\n"
	    "  run       the agent: sample, report, publish over MQTT/TLS "
	    "(-c FILE)\n"
	    "  sample    sample this host (or --root DIR) and print rates and\n"
	    "            utilisations as a table, JSON lines or SenML-CBOR\n"
	    "  decode    SenML-CBOR reports to JSON lines (resolved records)\n"
	    "  detect    score a timestamp,value CSV with the agent's anomaly\n"
	    "            detector\n"
	    "  check-config  validate a configuration file and print the "
	    "effective values\n"
	    "  version   print the version\n"
	    "  help      this text; 'headroom <command> --help' for a command\n");
}

int
main(int argc, char **argv)
{
	log_init("headroom", HR_LOG_INFO);
	if (argc < 2) {
		usage(stderr);
		return HR_EXIT_USAGE;
	}
	if (strcmp(argv[1], "run") == 0)
		return cmd_run(argc - 2, argv + 2);
	if (strcmp(argv[1], "sample") == 0)
		return cmd_sample(argc - 2, argv + 2);
	if (strcmp(argv[1], "decode") == 0)
		return cmd_decode(argc - 2, argv + 2);
	if (strcmp(argv[1], "detect") == 0)
		return cmd_detect(argc - 2, argv + 2);
	if (strcmp(argv[1], "check-config") == 0)
		return cmd_check_config(argc - 2, argv + 2);
	if (strcmp(argv[1], "version") == 0 ||
	    strcmp(argv[1], "--version") == 0) {
		printf("headroom %s\n", HR_VERSION);
		return HR_EXIT_OK;
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return HR_EXIT_OK;
	}
	fprintf(stderr, "headroom: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return HR_EXIT_USAGE;
}
