-- the module of a second image, to reload over the first (tests/image)
return function()
  return "second image"
end
