-- string literals: escapes, long strings, length
print("a\tb\\c\"d\'e", 'single', "\65\066\x43\u{44}\u{20AC}", #"\u{7FFFFFFF}")
print("line1\
line2", "z: \z
      done", #"\0\0\0", ("\0x"):byte(1, 2))
print([[long
string]], [==[with ]] inside]==], #[[
skipfirst]])
print(#"", #"abc", "abc" .. "def" .. 1 .. 2.0)
local s = "hello"
print(s:upper(), s:len(), s:sub(2, 3), ("x"):rep(3), s:byte(-1))
--[[ a long
comment ]] print("after comment") --[==[ another ]==] print("x")
