-- the pattern language
local function m(s, p) return string.match(s, p) end
print(m("abc123", "%a+"), m("abc123", "%d+$"), m("  x", "^%s*()"), m("key = value", "(%w+)%s*=%s*(%w+)"))
print(m("[test]", "%[(.-)%]"), m("a.b", "a%.b"), m("aaa", "a-b"), m("aaab", "a-b"), m("x", "x?x"))
print(m("hello world", "o w"), m("2024-01-15", "(%d+)-(%d+)-(%d+)"))
print(m("abcabc", "(abc)%1"), m("xyzzy", "(z)%1"), m("abc", "()b()"))
print(m("ABCdef", "%u+"), m("ABCdef", "%l+"), m("a,b;c", "%p"), m("tab\there", "%c"), m("ff00", "%x+"))
print(m("abc", "[a-b]+"), m("abc", "[^a]+"), m("a-b", "[%-]"), m("]", "[]]"), m("a^", "[%^a]+"))
print(m("THE (quick) fox", "%((%a+)%)"), m("if (a(b)c) end", "%b()"))
print(string.find("abc", "b", 1, true), string.find("a.c", ".", 1, true), string.find("abc", "", 10), string.find("abc", "", 4))
print(pcall(m, "a", "%"), pcall(m, "a", "[a"), pcall(m, "a", "(a"), pcall(m, "a", "a)"), pcall(m, "a", "%1"))
print(pcall(m, "a", "%f"), pcall(string.rep))
print(string.gsub("hello world", "%w+", "%0 %0", 1), string.gsub("abc", ".", {a = 1, b = true}))
print(pcall(string.gsub, "abc", "a", "%2"), string.gsub("a b", " ", "%%"))
print(string.gsub("THE (quick) fox", "%f[%a]%a+", "W"))
local words = {} for w in string.gmatch("one two  three", "%a+") do words[#words + 1] = w end
print(#words, table.concat(words, "|"))
print(string.match(string.rep("a", 1000), ".-b"), #string.match(string.rep("a", 1000), "a*"))
