/*
 * names.c - stable names of the signals (logs, JSON, docs/metrics.md).
 */
#include "sample.h"

const char *const hr_signal_names[HR_SIG_COUNT] = {
	[HR_SIG_CPU] = "cpu",
	[HR_SIG_CPU_ONLINE] = "cpu_online",
	[HR_SIG_LOAD] = "load",
	[HR_SIG_MEM] = "mem",
	[HR_SIG_VMSTAT] = "vmstat",
	[HR_SIG_PSI_CPU] = "psi_cpu",
	[HR_SIG_PSI_MEM] = "psi_mem",
	[HR_SIG_PSI_IO] = "psi_io",
	[HR_SIG_DISK] = "disk",
	[HR_SIG_NET] = "net",
	[HR_SIG_SOFTNET] = "softnet",
	[HR_SIG_SNMP] = "tcp",
	[HR_SIG_NETSTAT] = "tcp_ext",
	[HR_SIG_CONNTRACK] = "conntrack",
	[HR_SIG_FD] = "fd",
	[HR_SIG_PID] = "pid",
	[HR_SIG_CGROUP] = "cgroup",
	[HR_SIG_MOUNTS] = "mounts",
};

static const char *const operstate_names[HR_OPER_COUNT] = {
	[HR_OPER_UNKNOWN] = "unknown",
	[HR_OPER_NOTPRESENT] = "notpresent",
	[HR_OPER_DOWN] = "down",
	[HR_OPER_LOWERLAYERDOWN] = "lowerlayerdown",
	[HR_OPER_TESTING] = "testing",
	[HR_OPER_DORMANT] = "dormant",
	[HR_OPER_UP] = "up",
};

const char *
hr_operstate_name(enum hr_operstate o)
{
	if ((unsigned)o >= HR_OPER_COUNT)
		return operstate_names[HR_OPER_UNKNOWN];
	return operstate_names[o];
}
