// Both runs printed their line: plain -cp on the portable engine, -jar on the fast path.
String log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('unnamed=true engine=threads dishes=[soup, pasta]') : "the class-path run without a flag did not print its line"
assert log.contains('unnamed=true engine=continuation dishes=[soup, pasta]') : "the java -jar run did not print its line"
return true
