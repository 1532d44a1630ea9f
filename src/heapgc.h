/*
** heapgc.h: what heap.c offers the collector and the reports beyond
** heap.h: a sweep that can stop and resume (its cursor stays on a block
** boundary whatever is allocated or freed meanwhile), and cheap counters.
*/
#ifndef heapgc_h
#define heapgc_h

#include "heap.h"

/*
** Incremental sweep: heap_sweepbegin puts the cursor on the first block;
** each heap_sweepstep visits blocks (calling keep as heap_sweep does) until
** its work reaches 'budget', and returns that work: the bytes of the used
** blocks it looked at, one word per free block. Blocks allocated before the cursor are not visited in this sweep.
** heap_sweepdone tells when the cursor has passed the last block; a
** growable heap gives back its empty regions then.
*/
void heap_sweepbegin(Heap *h);
size_t heap_sweepstep(Heap *h, heap_Keep keep, void *ud, size_t budget);
int heap_sweepdone(const Heap *h);

size_t heap_free_bytes(const Heap *h);  /* bytes not in used blocks, O(1) */
size_t heap_lowest_free(const Heap *h); /* lowest heap_free_bytes seen */
void heap_resetlowest(Heap *h);
size_t heap_total(const Heap *h);       /* bytes of all regions */
size_t heap_overhead(void);             /* header bytes of one used block */
size_t heap_blockfor(size_t size);      /* block bytes a request takes; 0 if too big */

#endif
