-- moonlet-only: binary chunks assembled by hand. The loader checks the
-- header and the verifier every instruction: each bad chunk below is
-- refused with its reason, before any of its code runs.

-- a tiny assembler for the format of src/dump.c
local OPS = {"MOVE", "LOADK", "LOADKX", "LOADBOOL", "LOADNIL", "GETUPVAL",
  "GETTABUP", "GETTABLE", "SETTABUP", "SETUPVAL", "SETTABLE", "NEWTABLE",
  "SELF", "ADD", "SUB", "MUL", "MOD", "POW", "DIV", "IDIV", "BAND", "BOR",
  "BXOR", "SHL", "SHR", "UNM", "BNOT", "NOT", "LEN", "CONCAT", "JMP", "EQ",
  "LT", "LE", "TEST", "TESTSET", "CALL", "TAILCALL", "RETURN", "FORLOOP",
  "FORPREP", "TFORCALL", "TFORLOOP", "SETLIST", "CLOSURE", "VARARG",
  "EXTRAARG"}
local OP = {}
for i, n in ipairs(OPS) do OP[n] = i - 1 end
local function ABC(o, a, b, c) return OP[o] | (a << 6) | (c << 14) | (b << 23) end
local function ABx(o, a, bx) return OP[o] | (a << 6) | (bx << 14) end
local function AsBx(o, a, sbx) return OP[o] | (a << 6) | ((sbx + 131071) << 14) end
local function Ax(o, ax) return OP[o] | (ax << 6) end
local function K(x) return 256 + x end

local function varint(x)
  local t = {}
  repeat
    local b = x & 0x7f
    x = x >> 7
    if x ~= 0 then b = b | 0x80 end
    t[#t + 1] = string.char(b)
  until x == 0
  return table.concat(t)
end
local function str(s) return s and varint(#s + 1) .. s or varint(0) end

local HEADER = "\27Lua\x53\0\x19\x93\r\n\x1a\n" ..
  string.pack("BBBBB", string.packsize("i"), string.packsize("T"), 4,
              string.packsize("j"), string.packsize("n")) ..
  string.pack("j", 0x5678) .. string.pack("n", 370.5)

-- f: code, k (with k.n), up ({instack, idx}...), p, np, va, ms, lineinfo
local function func(f)
  local t = {str(f.source), varint(f.line or 0), varint(f.line or 0),
             string.char(f.np or 0, f.va or 0, f.ms or 2), varint(#f.code)}
  for _, i in ipairs(f.code) do t[#t + 1] = string.pack("=I4", i) end
  local k = f.k or {}
  t[#t + 1] = varint(k.n or #k)
  for i = 1, k.n or #k do
    local v = k[i]
    if v == nil then t[#t + 1] = "\0"
    elseif v == false then t[#t + 1] = "\1"
    elseif v == true then t[#t + 1] = "\2"
    elseif math.type(v) == "integer" then t[#t + 1] = "\3" .. string.pack("j", v)
    elseif math.type(v) == "float" then t[#t + 1] = "\4" .. string.pack("n", v)
    else t[#t + 1] = "\5" .. str(v) end
  end
  local up = f.up or {}
  t[#t + 1] = varint(#up)
  for _, u in ipairs(up) do t[#t + 1] = string.char(u[1], u[2]) end
  local p = f.p or {}
  t[#t + 1] = varint(#p)
  for _, q in ipairs(p) do t[#t + 1] = func(q) end
  local li = f.lineinfo or ""
  t[#t + 1] = varint(#li) .. li .. varint(0) .. varint(0) .. varint(0)
  return table.concat(t)
end
local function chunk(f, header)
  return (header or HEADER) .. "ML\1" .. string.char(#(f.up or {})) .. func(f)
end

local function try(what, f)
  local c = type(f) == "string" and f or chunk(f)
  local fn, msg = load(c, "=v", "b")
  if fn then print(what, "loaded", pcall(fn)) else print(what, msg) end
end

local RET = ABC("RETURN", 0, 1, 0)

-- a valid chunk runs
try("valid", {code = {ABx("LOADK", 0, 0), ABC("RETURN", 0, 2, 0)}, k = {42}})
try("valid, with _ENV", {up = {{1, 0}}, k = {"print", "hi"},
  code = {ABC("GETTABUP", 0, 0, K(0)), ABx("LOADK", 1, 1),
          ABC("CALL", 0, 2, 1), RET}})

-- function-level checks
try("no code", {code = {}})
try("no final RETURN", {code = {ABx("LOADK", 0, 0)}, k = {1}})
try("too many parameters", {code = {RET}, np = 3, ms = 2})
try("bad vararg flag", {code = {RET}, va = 2})
try("bad line info", {code = {RET, RET}, lineinfo = "\1"})
try("bad line info 2", {code = {RET}, lineinfo = "\x80"})

-- operands
try("bad opcode", {code = {63, RET}})
try("register", {code = {ABC("MOVE", 5, 0, 0), RET}})
try("register B", {code = {ABC("MOVE", 0, 2, 0), RET}})
try("constant", {code = {ABx("LOADK", 0, 3), RET}, k = {1}})
try("RK constant", {code = {ABC("ADD", 0, K(5), 0), RET}, k = {1}})
try("RK register", {code = {ABC("ADD", 0, 0, 7), RET}})
try("upvalue", {code = {ABC("GETUPVAL", 0, 3, 0), RET}, up = {{1, 0}}})
try("table upvalue", {code = {ABC("SETTABUP", 1, K(0), K(0)), RET},
  up = {{1, 0}}, k = {1}})
try("jump", {code = {AsBx("JMP", 0, 100), RET}})
try("jump back", {code = {AsBx("JMP", 0, -2), RET}})
try("LOADBOOL skip", {code = {ABC("LOADBOOL", 0, 1, 1), RET}})
try("LOADBOOL value", {code = {ABC("LOADBOOL", 0, 2, 0), RET}})
try("LOADNIL range", {code = {ABC("LOADNIL", 0, 2, 0), RET}})
try("SELF range", {code = {ABC("SELF", 1, 0, 0), RET}})
try("CONCAT range", {code = {ABC("CONCAT", 0, 1, 1), RET}})
try("CALL arguments", {code = {ABC("CALL", 0, 4, 1), RET}})
try("CALL results", {code = {ABC("CALL", 0, 1, 4), RET}})
try("RETURN values", {code = {ABC("RETURN", 1, 4, 0)}})
try("VARARG values", {code = {ABC("VARARG", 0, 4, 0), RET}, va = 1})
try("CLOSURE", {code = {ABx("CLOSURE", 0, 1), RET},
  p = {{code = {RET}}}})

-- instructions that need their neighbours
try("test without jump", {code = {ABC("EQ", 0, 0, 1), RET}})
try("LOADKX alone", {code = {ABx("LOADKX", 0, 0), RET}, k = {1}})
try("LOADKX index", {code = {ABx("LOADKX", 0, 0), Ax("EXTRAARG", 1), RET},
  k = {1}})
try("stray EXTRAARG", {code = {Ax("EXTRAARG", 0), RET}})
try("SETLIST block 0", {code = {ABC("NEWTABLE", 0, 0, 0),
  ABC("SETLIST", 0, 1, 0), Ax("EXTRAARG", 0), RET}})
try("SETLIST no table", {code = {ABx("LOADK", 0, 0), ABx("LOADK", 1, 0),
  ABC("SETLIST", 0, 1, 1), RET}, k = {"s"}})
try("FORPREP unpaired", {code = {AsBx("FORPREP", 0, 0), RET}, ms = 4})
try("FORLOOP unpaired", {code = {AsBx("FORLOOP", 0, -1), RET}, ms = 4})
try("FORLOOP other A", {code = {AsBx("FORPREP", 0, 0),
  AsBx("FORLOOP", 1, -1), RET}, ms = 5})
try("for control changed", {code = {AsBx("FORPREP", 0, 1),
  ABC("MOVE", 1, 3, 0), AsBx("FORLOOP", 0, -2), RET}, ms = 4})
try("TFORCALL alone", {code = {ABC("TFORCALL", 0, 0, 1), RET}, ms = 6})
try("TFORCALL registers", {code = {ABC("TFORCALL", 0, 0, 1),
  AsBx("TFORLOOP", 2, -2), RET}, ms = 5})
try("open VARARG unused", {code = {ABC("VARARG", 0, 0, 0), RET}, va = 1})
try("open CALL unused", {code = {ABC("CALL", 0, 1, 0), RET}})
try("top not set", {code = {ABC("CALL", 0, 0, 1), RET}})
try("top below function", {code = {ABC("VARARG", 0, 0, 0),
  ABC("CALL", 0, 0, 1), RET}, va = 1})

-- nested functions and upvalue descriptors
try("descriptor register", {code = {ABx("CLOSURE", 0, 0), RET},
  p = {{code = {RET}, up = {{1, 2}}}}})
try("descriptor upvalue", {code = {ABx("CLOSURE", 0, 0), RET},
  p = {{code = {RET}, up = {{0, 0}}}}})
try("nested code", {code = {ABx("CLOSURE", 0, 0), RET}, line = 0,
  p = {{code = {ABC("MOVE", 9, 0, 0), RET}, line = 7}}})
local deep = {code = {RET}}
for _ = 1, 250 do deep = {code = {RET}, p = {deep}} end
try("deep nesting", deep)

-- format
try("bad constant tag", HEADER .. "ML\1\0" .. varint(0) .. varint(0) ..
  varint(0) .. "\0\0\2" .. varint(1) .. string.pack("=I4", RET) ..
  varint(1) .. "\9")
try("missing upvalue", chunk({code = {RET}, up = {{1, 0}}}):gsub("ML\1\1", "ML\1\2"))
try("not Moonlet's", chunk({code = {RET}}):gsub("ML\1", "\1\0\0"))
try("other version", chunk({code = {RET}}):gsub("ML\1", "ML\2"))
local other = string.packsize("j") == 8 and 4 or 8
try("other numbers", "\27Lua\x53\0\x19\x93\r\n\x1a\n" ..
  string.pack("BBBBB", string.packsize("i"), string.packsize("T"), 4, other,
              other) .. string.rep("\0", 2 * other) .. "ML\1")
local be = HEADER:gsub(string.pack("j", 0x5678), string.pack(">j", 0x5678))
be = be:gsub(string.pack("j", 0x5678), string.pack("<j", 0x5678))
try("other byte order", chunk({code = {RET}}, be))
try("version", chunk({code = {RET}}):gsub("^\27Lua\x53", "\27Lua\x52"))
print("mode t", load(chunk({code = {RET}}), "=v", "t"))

-- crafted code that passes the verifier but breaks what the VM takes for
-- granted is stopped at run time, never a crash
try("jump over NEWTABLE", {code = {ABx("LOADK", 0, 0), AsBx("JMP", 0, 1),
  ABC("NEWTABLE", 0, 0, 0), ABx("LOADK", 1, 0), ABC("SETLIST", 0, 1, 1), RET},
  k = {"s"}})
local function limited(f)
  debug.sethook(function() error("too long") end, "", 100000)
  pcall(f)
  debug.sethook()
end
for _, reg in ipairs{0, 1, 2} do
  -- a closure changes a for-loop control register through an upvalue
  local c = chunk({ms = 8, k = {1, 10, 1.5},
    code = {ABx("CLOSURE", 4, 0), ABx("LOADK", 0, reg == 0 and 2 or 0),
      ABx("LOADK", 1, 1), ABx("LOADK", 2, 0), AsBx("FORPREP", 0, 2),
      ABC("MOVE", 5, 4, 0), ABC("CALL", 5, 1, 1), AsBx("FORLOOP", 0, -3), RET},
    p = {{code = {ABC("NEWTABLE", 0, 0, 0), ABC("SETUPVAL", 0, 0, 0), RET},
          up = {{1, reg}}}}})
  local f = assert(load(c, "=v", "b"))
  limited(f) -- the loop may end or run on: its registers are garbage
  collectgarbage()
  print("for register " .. reg .. " changed: no crash")
end
print("still alive")
