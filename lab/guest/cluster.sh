# Lab guest, topology 'cluster': node K (0 .. VFB_LAB_NODES-1) is
# 198.18.4.(K+1) on one switched segment, with munge and slurmd; node 0
# also runs slurmctld and, once every node is idle in Slurm, the script.
# Sourced by lab/guest/init.
# shellcheck shell=bash

LAB_CL_SUBNET=198.18.4

lab_cluster_hosts() {
	local k
	echo "127.0.0.1 localhost"
	for k in $(seq 0 $((VFB_LAB_NODES - 1))); do
		echo "$LAB_CL_SUBNET.$((k + 1)) node$k"
	done
}

lab_cluster_conf() {
	local k
	cat <<CONF
ClusterName=vfblab
SlurmctldHost=node0
AuthType=auth/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
MessageTimeout=30
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
CONF
	for k in $(seq 0 $((VFB_LAB_NODES - 1))); do
		echo "NodeName=node$k NodeAddr=$LAB_CL_SUBNET.$((k + 1)) CPUs=1 RealMemory=400 State=UNKNOWN"
	done
	# jobs share nodes: a test may act on a node while a mesh runs there
	echo "PartitionName=lab Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4"
}

# munge (one key for the whole cluster, made by lab/lab), slurmd, and on
# node 0 slurmctld.
lab_cluster_start() {
	hostname "node$VFB_LAB_NODE"
	lab_cluster_hosts >/etc/hosts
	mkdir -p /etc/munge /var/lib/munge /var/log/munge /run/munge \
		/var/spool/slurmd /var/spool/slurmctld /var/log/slurm /etc/slurm
	install -m 0400 -o munge -g munge "$RUN/munge.key" /etc/munge/munge.key ||
		{ echo "no munge key"; return 1; }
	chown munge:munge /var/lib/munge /var/log/munge /run/munge
	runuser -u munge -- /usr/sbin/munged ||
		{ echo "munged: $(tail -n3 /var/log/munge/munged.log)"; return 1; }
	lab_cluster_conf >/etc/slurm/slurm.conf
	# slurmd 22.05 looks for a cgroup file system even when it tracks
	# processes without one
	mountpoint -q /sys/fs/cgroup || mount -t cgroup2 none /sys/fs/cgroup
	mkdir -p /sys/fs/cgroup/system.slice
	printf 'CgroupPlugin=cgroup/v2\nIgnoreSystemd=yes\n' >/etc/slurm/cgroup.conf
	if [ "$VFB_LAB_NODE" = 0 ] && ! slurmctld; then
		echo "slurmctld: $(tail -n3 /var/log/slurm/slurmctld.log)"
		return 1
	fi
	slurmd -N "node$VFB_LAB_NODE" ||
		{ echo "slurmd: $(tail -n12 /var/log/slurm/slurmd.log)"; return 1; }
}

# Node 0: every node idle in Slurm, at most 120 s.
lab_cluster_wait() {
	local n
	for _ in $(seq 240); do
		n=$(sinfo -h -N -t idle -o %N 2>/dev/null | sort -u | wc -l)
		[ "$n" = "$VFB_LAB_NODES" ] && return 0
		sleep 0.5
	done
	sinfo -N >/dev/ttyS0 2>&1
	return 1
}
