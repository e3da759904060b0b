/*
 * echo_client: a plain Mach client in XNU style.
 *
 * It looks "mk.demo.echo" up in the name service (retrying while the
 * server starts), then makes a few echo RPCs, each with a MAKE_SEND_ONCE
 * right to its own reply port, and prints what came back.
 */
#include <stdio.h>
#include <mach/mach.h>
#include <mach/mk_hotpath.h>
#include <servers/bootstrap.h>
#include <mk/thread.h>
#include "../testaux/ipc_echo.h"

#define SERVICE_NAME	"mk.demo.echo"
#define TRIES		500
#define RETRY_MS	20
#define CALLS		3
#define BURST		1000	/* quiet RPCs, to show the hot path at work */

int main(void)
{
	mach_port_t server = MACH_PORT_NULL, reply;
	kern_return_t kr = BOOTSTRAP_UNKNOWN_SERVICE;

	for (int i = 0; i < TRIES; i++) {
		kr = bootstrap_look_up(bootstrap_port, SERVICE_NAME, &server);
		if (kr != BOOTSTRAP_UNKNOWN_SERVICE)
			break;
		(void)mk_sleep_ms(RETRY_MS);	/* the server is starting */
	}
	if (kr != BOOTSTRAP_SUCCESS) {
		printf("echo_client: bootstrap_look_up: %d\n", kr);
		return 1;
	}
	kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
	    &reply);
	if (kr != KERN_SUCCESS) {
		printf("echo_client: mach_port_allocate: %d\n", kr);
		return 1;
	}
	int failed = 0;
	for (int i = 0; i < CALLS; i++) {
		char text[32], back[32];
		int len = snprintf(text, sizeof(text), "hello %d", i) + 1;
		kr = echo_call(server, reply, ECHO_MSG_ECHO, text,
		    (uint32_t)len, back);
		if (kr == KERN_SUCCESS && memcmp(text, back, len) == 0) {
			printf("echo_client: sent \"%s\", got \"%s\"\n", text,
			    back);
		} else {
			printf("echo_client: call %d failed: %d\n", i, kr);
			failed++;
		}
	}
	/* a burst of RPCs, then what the hot path did for them */
	natural_t before[MK_HOTPATH_COUNTERS_MAX], after[MK_HOTPATH_COUNTERS_MAX];
	mach_msg_type_number_t n = MK_HOTPATH_COUNTERS_MAX;
	int ok = 0;
	mach_port_t host = mach_host_self();
	if (mk_hotpath_counters(host, before, &n) == KERN_SUCCESS && n >= MMC_COUNT) {
		for (int i = 0; i < BURST; i++) {
			char back[32];
			if (echo_call(server, reply, ECHO_MSG_ECHO, "x", 2, back) == KERN_SUCCESS)
				ok++;
		}
		n = MK_HOTPATH_COUNTERS_MAX;
		if (mk_hotpath_counters(host, after, &n) == KERN_SUCCESS)
			printf("echo_client: %d RPCs: %u hot-path handoffs, %u kmsg cache hits, "
			       "%u misses\n", ok, after[MMC_handoff] - before[MMC_handoff],
			       after[MMC_kmsg_cache_hits] - before[MMC_kmsg_cache_hits],
			       after[MMC_kmsg_cache_misses] - before[MMC_kmsg_cache_misses]);
	}
	(void)mach_port_deallocate(mach_task_self(), host);
	(void)mach_port_mod_refs(mach_task_self(), reply,
	    MACH_PORT_RIGHT_RECEIVE, -1);
	(void)mach_port_deallocate(mach_task_self(), server);
	return failed != 0;
}
