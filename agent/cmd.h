/*
 * cmd.h - the sub-commands of the headroom binary.  Each takes the
 * arguments after its name and returns the process exit status:
 * 0 success, 1 runtime failure, 2 usage error (bad flag or value).
 */
#ifndef HR_CMD_H
#define HR_CMD_H

#define HR_EXIT_OK     0
#define HR_EXIT_FAIL   1
#define HR_EXIT_USAGE  2

int cmd_sample(int argc, char **argv);
int cmd_decode(int argc, char **argv);
int cmd_check_config(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_detect(int argc, char **argv);

#endif
