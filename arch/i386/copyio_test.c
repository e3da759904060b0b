/*
 * Self-tests of copyin/copyout error recovery.
 */
#include <kern/ktest.h>
#include <machine/copyio.h>
#include <machine/param.h>

KTEST(copyio_faults)
{
	char buf[16] = "unchanged";
	KT_CHECK(kt, copyin((const void *)0x40000000, buf, 4) == COPYIO_FAULT,
		 "copyin from an unmapped user address fails");
	KT_CHECK(kt, copyin((const void *)KERNBASE, buf, 4) == COPYIO_FAULT,
		 "copyin from a kernel address fails");
	KT_CHECK(kt, copyin((const void *)(KERNBASE - 2), buf, 4) == COPYIO_FAULT,
		 "copyin straddling the top of user space fails");
	KT_CHECK(kt, copyin((const void *)0xfffffff0u, buf, 0x20) == COPYIO_FAULT,
		 "copyin of a wrapping range fails");
	KT_CHECK(kt, copyin((const void *)0, buf, 4) == COPYIO_FAULT,
		 "copyin from NULL fails");
	KT_CHECK(kt, copyout(buf, (void *)0x40000000, 4) == COPYIO_FAULT,
		 "copyout to an unmapped user address fails");
	KT_CHECK(kt, copyout(buf, (void *)(KERNBASE + 0x1000), 4) == COPYIO_FAULT,
		 "copyout to a kernel address fails");
	KT_CHECK(kt, buf[0] == 'u', "the kernel buffer was not touched");
}
