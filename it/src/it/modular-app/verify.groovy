// Both runs printed their line: Simmer loaded as the named module dev.simmer, internals hidden.
String log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('module=dev.simmer internal-exported=false engine=continuation dishes=[soup, pasta]') : "the fast-path run on the module path did not print its line"
assert log.contains('module=dev.simmer internal-exported=false engine=threads dishes=[soup, pasta]') : "the portable run on the module path did not print its line"
return true
