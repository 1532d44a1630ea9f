/*
** heapreport.c: the printed heap reports of moonlet.h (out-of-memory
** report, heap map, object histogram). None allocates: they use the C
** stack and the heap walk only, so they work when memory has run out.
*/
#include <string.h>

#include "moonlet.h"

#include "gc.h"
#include "heap.h"
#include "heapgc.h"
#include "state.h"
#include "table.h"

/* part/whole as "12.3%" into buf, without floating point (a device's
** printf may lack it). */
static const char *percent(char *buf, size_t n, size_t part, size_t whole) {
  unsigned long long t =
      whole == 0 ? 0 : ((unsigned long long)part * 1000 + whole / 2) / whole;
  snprintf(buf, n, "%llu.%llu%%", t / 10, t % 10);
  return buf;
}

/* ---------- the heap report ---------- */

/* Tags in decreasing order of bytes, free blocks and empty tags left out. */
static int sortedtags(const moonlet_HeapInfo *info, int order[]) {
  int n = 0, i, j;
  for (i = 1; i < MOONLET_NTAGS; i++) {
    if (info->count[i] == 0) continue;
    for (j = n; j > 0 && info->bytes[order[j - 1]] < info->bytes[i]; j--)
      order[j] = order[j - 1];
    order[j] = i;
    n++;
  }
  return n;
}

static void printline(FILE *f) {
  fputs("  +------------+----------+---------+--------------+\n", f);
}

static size_t usedblocks(const moonlet_HeapInfo *info) {
  size_t n = 0;
  int i;
  for (i = 1; i < MOONLET_NTAGS; i++) n += info->count[i];
  return n;
}

void moonlet_printheapinfo(FILE *f, const moonlet_HeapInfo *info) {
  int order[MOONLET_NTAGS], n = sortedtags(info, order), i;
  char pct[48];
  size_t frag = info->free == 0 ? 0 : info->free - info->largest_free;
  printline(f);
  fprintf(f, "  | %10s | %8s | %7s | %-12s |\n", "bytes", "count", "share",
          "type");
  printline(f);
  for (i = 0; i < n; i++)
    fprintf(f, "  | %10lu | %8lu | %7s | %-12s |\n",
            (unsigned long)info->bytes[order[i]],
            (unsigned long)info->count[order[i]],
            percent(pct, sizeof pct, info->bytes[order[i]], info->total),
            moonlet_tagname(order[i]));
  printline(f);
  fprintf(f, "  Total: %lu bytes in %lu blocks (%s of a %lu-byte heap)\n",
          (unsigned long)info->used, (unsigned long)usedblocks(info),
          percent(pct, sizeof pct, info->used, info->total),
          (unsigned long)info->total);
  fprintf(f, "  free %lu bytes, largest free block %lu bytes, "
             "fragmentation %s\n",
          (unsigned long)info->free, (unsigned long)info->largest_free,
          percent(pct, sizeof pct, frag, info->free));
  fprintf(f, "  lowest free %lu bytes, peak use %lu bytes, "
             "%u emergency collections, %u failed allocations\n",
          (unsigned long)info->lowest_free, (unsigned long)info->peak_used,
          info->emergencies, info->failures);
}

void moonlet_printoom(FILE *f, const moonlet_OOMInfo *info) {
  fprintf(f, "Heap report @ out of memory: %lu bytes asked for at %s\n",
          (unsigned long)info->asked,
          info->where[0] != '\0' ? info->where : "(no Lua code running)");
  moonlet_printheapinfo(f, &info->heap);
  fflush(f);
}

void moonlet_heapreport(lua_State *L, FILE *f, size_t asked) {
  moonlet_OOMInfo info;
  moonlet_oominfo(L, asked, &info);
  if (asked == 0) {
    fputs("Heap report\n", f);
    moonlet_printheapinfo(f, &info.heap);
    fflush(f);
  } else
    moonlet_printoom(f, &info);
}

/* ---------- the heap map ---------- */

#define MAPWIDTH 64
#define BIGFREE 256 /* free blocks of this many bytes print as [size] */

static const char mapchars[MOONLET_NTAGS + 1] = ".stcpuUTahdSo";

typedef struct Map {
  FILE *f;
  char line[MAPWIDTH + 16];
  int len;
  const char *base;  /* start of the current region's first payload */
  const char *next;  /* where the next block's payload would be */
  size_t offset;     /* of the line's first block, from 'base' */
} Map;

static void flushmap(Map *m) {
  if (m->len == 0) return;
  m->line[m->len] = '\0';
  fprintf(m->f, "  %08lx %s\n", (unsigned long)m->offset, m->line);
  m->len = 0;
}

static void mapblock(void *ud, void *payload, size_t size, int tag) {
  Map *m = (Map *)ud;
  const char *p = (const char *)payload;
  char item[24];
  int n;
  if (m->next == NULL || p != m->next) { /* a new region */
    flushmap(m);
    if (m->next != NULL) fputs("  (next region)\n", m->f);
    m->base = p;
  }
  m->next = p + size + heap_overhead();
  if (tag == ML_TAG_FREE && size + heap_overhead() >= BIGFREE)
    n = snprintf(item, sizeof item, "[%lu]",
                 (unsigned long)(size + heap_overhead()));
  else {
    item[0] = mapchars[tag >= 0 && tag < MOONLET_NTAGS ? tag : ML_TAG_OTHER];
    item[1] = '\0';
    n = 1;
  }
  if (m->len + n > MAPWIDTH) flushmap(m);
  if (m->len == 0) m->offset = (size_t)(p - m->base);
  memcpy(m->line + m->len, item, (size_t)n);
  m->len += n;
}

void moonlet_heapmap(lua_State *L, FILE *f) {
  Map m;
  int i;
  m.f = f;
  m.len = 0;
  m.base = m.next = NULL;
  m.offset = 0;
  fprintf(f, "Heap map: one character per block, offsets in hex; "
             "[n] a free run of n bytes\n");
  heap_walk(G(L)->heap, mapblock, &m);
  flushmap(&m);
  fputs("  ", f);
  for (i = 0; i < MOONLET_NTAGS; i++)
    fprintf(f, "%c %s%s", mapchars[i], moonlet_tagname(i),
            i + 1 < MOONLET_NTAGS ? ", " : "\n");
  fflush(f);
}

/* ---------- the object histogram ---------- */

static const char *const objtypenames[MOONLET_NOBJTYPES] = {
    "string", "table", "Lua function", "C function",
    "userdata", "thread", "proto", "upvalue"};

const char *moonlet_objtypename(int type) {
  return type >= 0 && type < MOONLET_NOBJTYPES ? objtypenames[type] : "?";
}

typedef struct Hist {
  global_State *g;
  moonlet_ObjectInfo *info;
} Hist;

static size_t blockbytes(const void *p) {
  return p == NULL ? 0 : heap_blocksize(p) + heap_overhead();
}

/* The metatable's __name, found without interning anything. */
static const char *metaname(const Table *mt) {
  const Node *n, *end;
  if (mt == NULL || mt->node == NULL) return NULL;
  end = mt->node + sizenode(mt);
  for (n = mt->node; n < end; n++) {
    if (keyisshrstr(n) && ttisstring(gval(n)) &&
        keystrval(n)->shrlen == 6 && memcmp(getstr(keystrval(n)), "__name", 6) == 0)
      return svalue(gval(n));
  }
  return NULL;
}

static void countname(moonlet_ObjectInfo *info, const char *name, int type,
                      size_t bytes) {
  int i;
  for (i = 0; i < info->nnames; i++) {
    if (info->names[i].type == type && strcmp(info->names[i].name, name) == 0)
      break;
  }
  if (i == info->nnames) {
    if (i == MOONLET_MAXNAMES) {
      info->othercount++;
      info->otherbytes += bytes;
      return;
    }
    info->names[i].name = name;
    info->names[i].type = type;
    info->names[i].count = info->names[i].bytes = 0;
    info->nnames++;
  }
  info->names[i].count++;
  info->names[i].bytes += bytes;
}

static size_t tableparts(global_State *g, const Table *t) {
  size_t n = blockbytes(t->array);
  if (t->node != NULL && (t->lsizenode > 0 || heap_contains(g->heap, t->node)))
    n += blockbytes(t->node);
  return n;
}

static size_t protoparts(const Proto *p) {
  return blockbytes(p->code) + blockbytes(p->k) + blockbytes(p->p) +
         blockbytes(p->lineinfo) + blockbytes(p->abslineinfo) +
         blockbytes(p->locvars) + blockbytes(p->upvalues);
}

static size_t threadparts(const lua_State *th) {
  size_t n = blockbytes(th->stack);
  const CallInfo *ci;
  for (ci = th->base_ci.next; ci != NULL; ci = ci->next) n += blockbytes(ci);
  return n;
}

/* The kind of object o and the bytes it holds, its parts included. */
static int objkind(global_State *g, const GCObject *o, size_t *bytes) {
  switch (o->tt) {
    case LUA_TSHRSTR: case LUA_TLNGSTR: return MOONLET_OSTRING;
    case LUA_TTABLE: *bytes += tableparts(g, gco2t(o)); return MOONLET_OTABLE;
    case LUA_TLCL: return MOONLET_OLUAFUNC;
    case LUA_TCCL: return MOONLET_OCFUNC;
    case LUA_TUSERDATA: return MOONLET_OUSERDATA;
    case LUA_TTHREAD: *bytes += threadparts(gco2th(o)); return MOONLET_OTHREAD;
    case LUA_TPROTO: *bytes += protoparts(gco2p(o)); return MOONLET_OPROTO;
    default: return MOONLET_OUPVALUE;
  }
}

/* Objects already found dead by a sweep under way are left out. */
static void histblock(void *ud, void *payload, size_t size, int tag) {
  Hist *h = (Hist *)ud;
  const GCObject *o;
  size_t bytes = size + heap_overhead();
  const char *name = NULL;
  int kind;
  if (!heap_isobjecttag(tag)) return;
  o = (const GCObject *)(const void *)((const char *)payload +
                                       (tag == ML_TAG_THREAD ? LUA_EXTRASPACE : 0));
  if (h->g->gc.state >= GCSswpallgc && h->g->gc.state <= GCSswpend &&
      isdead(h->g, o))
    return;
  kind = objkind(h->g, o, &bytes);
  h->info->count[kind]++;
  h->info->bytes[kind] += bytes;
  if (kind == MOONLET_OTABLE) name = metaname(gco2t(o)->metatable);
  if (kind == MOONLET_OUSERDATA) name = metaname(gco2u(o)->metatable);
  if (name != NULL) countname(h->info, name, kind, bytes);
}

void moonlet_objectinfo(lua_State *L, moonlet_ObjectInfo *info) {
  Hist h;
  memset(info, 0, sizeof(*info));
  h.g = G(L);
  h.info = info;
  heap_walk(G(L)->heap, histblock, &h);
}

void moonlet_objects(lua_State *L, FILE *f) {
  moonlet_ObjectInfo info;
  int i;
  moonlet_objectinfo(L, &info);
  fprintf(f, "Objects in the heap (bytes include the blocks each owns)\n");
  fprintf(f, "  %10s %8s  %s\n", "bytes", "count", "type");
  for (i = 0; i < MOONLET_NOBJTYPES; i++) {
    if (info.count[i] == 0) continue;
    fprintf(f, "  %10lu %8lu  %s\n", (unsigned long)info.bytes[i],
            (unsigned long)info.count[i], objtypenames[i]);
  }
  if (info.nnames > 0) fprintf(f, "  by metatable __name:\n");
  for (i = 0; i < info.nnames; i++)
    fprintf(f, "  %10lu %8lu  %s (%s)\n", (unsigned long)info.names[i].bytes,
            (unsigned long)info.names[i].count, info.names[i].name,
            objtypenames[info.names[i].type]);
  if (info.othercount > 0)
    fprintf(f, "  %10lu %8lu  (other names)\n", (unsigned long)info.otherbytes,
            (unsigned long)info.othercount);
  fflush(f);
}
