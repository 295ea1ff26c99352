/* compat.h -- flags older C libraries may not define (the kernel has had them since 4.15) */
#ifndef DAXBENCH_COMPAT_H
#define DAXBENCH_COMPAT_H

#include <sys/mman.h>

#ifndef MAP_SYNC
#define MAP_SYNC 0x80000
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#endif
