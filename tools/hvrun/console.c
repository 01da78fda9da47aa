/* SPDX-License-Identifier: MIT */
/* The host terminal behind COM1: raw mode while the guest runs (restored
 * on every way out: normal exit, exit(), fatal signals), a reader thread
 * feeding stdin to the UART's receive FIFO, and the escape Ctrl-A x to
 * quit (Ctrl-A Ctrl-A sends a Ctrl-A). Output is written unbuffered. */
#include "hvrun.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static struct termios saved;
static volatile sig_atomic_t raw_on;

void console_restore(void)
{
	if (raw_on) {
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
		raw_on = 0;
	}
}

/* Restore the terminal, then die of the same signal. */
static void on_signal(int sig)
{
	console_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

void console_write(void *opaque, uint8_t byte)
{
	(void)opaque;
	while (write(STDOUT_FILENO, &byte, 1) < 0 && errno == EINTR)
		;
}

/* Hand one byte to the UART, waiting while its FIFO is full (flow
 * control by backpressure: the guest drains it). */
static void feed(uint8_t byte)
{
	pthread_mutex_lock(&vm.lock);
	while (!vm.stop && uart_rx_full(&vm.uart)) {
		pthread_mutex_unlock(&vm.lock);
		usleep(1000);
		pthread_mutex_lock(&vm.lock);
	}
	uart_receive(&vm.uart, byte);
	pthread_mutex_unlock(&vm.lock);
}

static void *reader(void *arg)
{
	bool escape = false;
	uint8_t buf[64];

	(void)arg;
	for (;;) {
		ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return NULL;  /* EOF: the guest just gets no input */
		for (ssize_t i = 0; i < n; i++) {
			if (escape) {
				escape = false;
				if (buf[i] == 'x') {
					vm_stop(false, 0, "quit (Ctrl-A x)");
					return NULL;
				}
				if (buf[i] != 1)
					continue;
			} else if (buf[i] == 1 && raw_on) {
				escape = true;
				continue;
			}
			feed(buf[i]);
		}
	}
}

void console_start(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT,
				    SIGSEGV, SIGBUS, SIGABRT, SIGFPE };
	struct termios raw;
	pthread_t t;

	if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0) {
		for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
			signal(sigs[i], on_signal);
		atexit(console_restore);
		raw = saved;
		cfmakeraw(&raw);
		if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0)
			raw_on = 1;
	}
	if (pthread_create(&t, NULL, reader, NULL) == 0)
		pthread_detach(t);
}
