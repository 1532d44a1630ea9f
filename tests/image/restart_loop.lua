-- moonlet-only: a program that reloads a different image every time it
-- runs is stopped after 10 restarts
local moonletc = os.getenv("MOONLETC") or "build/moonletc"
local dir = os.getenv("MOONLET_TEST_TMP") or "/tmp"
local a, b = dir .. "/loop-a.img", dir .. "/loop-b.img"
local list = node.LFS.list()
print("run with " .. (list and list[1] or "no image"))
if not list then
  assert(os.execute(moonletc .. " -f -o " .. a .. " tests/image/mods/greet.lua"))
  assert(os.execute(moonletc .. " -f -o " .. b .. " tests/image/mods/second.lua"))
end
node.LFS.reload(node.LFS.get("greet") and b or a)
