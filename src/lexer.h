/*
** lexer.h: the scanner. Tokens of Lua 5.3 from a ZIO stream, one token of
** lookahead. Every string it makes is anchored in the per-parse table 'h'
** (on the Lua stack), so tokens stay valid across allocations.
*/
#ifndef lexer_h
#define lexer_h

#include "object.h"
#include "zio.h"

#define FIRST_RESERVED 257

/* Tokens past the single characters: reserved words first (their order
** is the 'extra' index of the reserved-word strings), then the others. */
#define ML_TOKENS(X)                                                       \
  X(AND, "and") X(BREAK, "break") X(DO, "do") X(ELSE, "else")              \
  X(ELSEIF, "elseif") X(END, "end") X(FALSE, "false") X(FOR, "for")        \
  X(FUNCTION, "function") X(GOTO, "goto") X(IF, "if") X(IN, "in")          \
  X(LOCAL, "local") X(NIL, "nil") X(NOT, "not") X(OR, "or")                \
  X(REPEAT, "repeat") X(RETURN, "return") X(THEN, "then") X(TRUE, "true")  \
  X(UNTIL, "until") X(WHILE, "while")                                      \
  X(IDIV, "//") X(CONCAT, "..") X(DOTS, "...") X(EQ, "==") X(GE, ">=")     \
  X(LE, "<=") X(NE, "~=") X(SHL, "<<") X(SHR, ">>") X(DBCOLON, "::")       \
  X(EOS, "<eof>") X(FLT, "<number>") X(INT, "<integer>") X(NAME, "<name>") \
  X(STRING, "<string>")

#define ML_TK_ENUM(name, text) TK_##name,
enum RESERVED { TK_BEFORE_FIRST_ = FIRST_RESERVED - 1, ML_TOKENS(ML_TK_ENUM) };
#undef ML_TK_ENUM

#define NUM_RESERVED (TK_WHILE - FIRST_RESERVED + 1)

typedef union SemInfo {
  lua_Number r;
  lua_Integer i;
  TString *ts;
} SemInfo;

typedef struct Token {
  int token;
  SemInfo seminfo;
} Token;

struct FuncState;
struct Dyndata;

typedef struct LexState {
  int current;    /* current character (or EOZ) */
  int linenumber; /* line of the current character */
  int lastline;   /* line of the last token consumed */
  Token t;        /* current token */
  Token lookahead; /* TK_EOS when there is none */
  struct FuncState *fs; /* function being compiled */
  lua_State *L;
  ZIO *z;
  Mbuffer *buff;  /* token text */
  Table *h;       /* anchors the parse's strings; constant index cache */
  struct Dyndata *dyd; /* locals, labels and pending gotos */
  TString *source; /* chunk name */
  TString *envn;   /* "_ENV" */
} LexState;

/* Creates the reserved words (fixed, extra = index + 1) and "_ENV". */
void lex_init(lua_State *L);
void lex_setinput(lua_State *L, LexState *ls, ZIO *z, TString *source,
                  int firstchar);
/* The one string for these bytes during this parse, anchored in ls->h. */
TString *lex_newstring(LexState *ls, const char *str, size_t l);
void lex_next(LexState *ls);
int lex_lookahead(LexState *ls);
/* "chunk:line: msg near 'token'" (the current token), LUA_ERRSYNTAX. */
l_noret lex_syntaxerror(LexState *ls, const char *msg);
/* As above, without the "near" part. */
l_noret lex_semerror(LexState *ls, const char *msg);
/* A token as messages show it: 'x' for symbols and words, <eof> etc. */
const char *lex_token2str(LexState *ls, int token);

#endif
