-- a module whose body raises an error
error("module body failed")
