/* procids.c - run a command as UID:GID and read its ids from outside, in
 * /proc/PID/status: while it is blocked on its first write (its stdout and stderr
 * are pipes filled beforehand) and once it has exited (a zombie, not yet reaped).
 * Prints "blocked Gid: ..." and "exit Gid: ..." lines on fd 3, the command's own
 * output on stdout and stderr, and exits with the command's exit code.
 * Usage (as root): procids UID GID COMMAND [ARG...] 3>FILE */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void ids(pid_t pid, const char *when)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "Gid:", 4) || !strncmp(line, "Uid:", 4))
			dprintf(3, "%s %s", when, line);
	if (f)
		fclose(f);
}

static long in_syscall(pid_t pid)
{
	char path[64];
	long nr = -1;
	snprintf(path, sizeof path, "/proc/%d/syscall", (int)pid);
	FILE *f = fopen(path, "r");
	if (f && fscanf(f, "%ld", &nr) != 1)
		nr = -1;
	if (f)
		fclose(f);
	return nr;
}

static size_t fill(int fd)
{
	static char junk[4096];
	size_t n = 0;
	ssize_t w;
	fcntl(fd, F_SETFL, O_NONBLOCK);
	while ((w = write(fd, junk, sizeof junk)) > 0 || (w < 0 && sizeof junk > 1 && write(fd, junk, 1) == 1))
		n += w > 0 ? (size_t)w : 1;
	fcntl(fd, F_SETFL, 0);
	return n;
}

int main(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	uid_t u = (uid_t)atol(argv[1]);
	gid_t g = (gid_t)atol(argv[2]);
	int out[2], err[2];
	if (pipe(out) || pipe(err))
		return 2;
	size_t pre[2] = {fill(out[1]), fill(err[1])};
	pid_t pid = fork();
	if (pid == 0) {
		setsid(); /* no controlling terminal: nothing can wait on a prompt */
		int null = open("/dev/null", O_RDONLY);
		dup2(null, 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(3);
		if (setgroups(0, NULL) || setresgid(g, g, g) || setresuid(u, u, u))
			_exit(126);
		execvp(argv[3], argv + 3);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	/* wait until it blocks writing to a full pipe, or exits */
	for (int i = 0; i < 20000; i++) {
		siginfo_t si = {0};
		if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == pid)
			break;
		if (in_syscall(pid) == SYS_write) {
			usleep(20000);
			if (in_syscall(pid) == SYS_write) {
				ids(pid, "blocked");
				break;
			}
		}
		usleep(1000);
	}
	/* drop what was put in the pipes beforehand, pass the rest on */
	int fds[2] = {out[0], err[0]};
	char buf[4096];
	for (int k = 0; k < 2; k++) {
		size_t left = pre[k];
		while (left > 0) {
			ssize_t r = read(fds[k], buf, left < sizeof buf ? left : sizeof buf);
			if (r <= 0)
				break;
			left -= (size_t)r;
		}
	}
	if (fork() == 0) { /* the stderr pipe, while the parent passes stdout on */
		ssize_t r;
		while ((r = read(err[0], buf, sizeof buf)) > 0)
			if (write(2, buf, (size_t)r) < 0)
				break;
		_exit(0);
	}
	close(err[0]);
	ssize_t r;
	while ((r = read(out[0], buf, sizeof buf)) > 0)
		if (write(1, buf, (size_t)r) < 0)
			break;
	siginfo_t si = {0};
	waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT);
	ids(pid, "exit");
	int st = 0;
	waitpid(pid, &st, 0);
	while (wait(NULL) > 0)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}
