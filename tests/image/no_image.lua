-- moonlet-only: node.LFS with no image mounted
print(node.LFS.list(), node.LFS.get("x"), node.LFS.x, node.LFS.time)
local c = node.LFS.config
print(c.lfs_base, c.lfs_size, c.lfs_used)
print(node.flashindex("x"))
print(node.LFS[1], node.LFS[{}])
print(node.LFS.reload("tests/image/no_image.lua"))
print(pcall(node.LFS.reload))
print(loadfile("tests/image/nowhere/x.lua"))
