-- moonlet-only: node.LFS.reload restarts the program with the new image
local img = (os.getenv("MOONLET_TEST_TMP") or "/tmp") .. "/restart.img"
local list = node.LFS.list()
print("run with " .. table.concat(list, ","))
if not node.LFS.get("second") then
  local moonletc = os.getenv("MOONLETC") or "build/moonletc"
  assert(os.execute(moonletc .. " -f -o " .. img .. " tests/image/mods/second.lua"))
  node.LFS.reload(img) -- does not return: the program starts again
  print("not reached")
end
print(node.LFS.second()(), node.LFS.get("greet"))
-- the same image again: nothing to do, no restart
print(select("#", node.LFS.reload(img)))
os.remove(img)
