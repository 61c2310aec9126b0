// The README's consumer pom and Hello program, as printed there, built and tested.
String readme = new File(simmerRoot, 'README.md').getText('UTF-8')
String add = readme.substring(readme.indexOf('## Add it'))
int open = add.indexOf('```xml\n') + 7
String block = add.substring(open, add.indexOf('\n```', open)) + '\n'
String pom = new File(basedir, 'pom.xml').getText('UTF-8')
assert pom == block : "pom.xml is not the README's consumer pom any more: copy the README's block here (with @project.version@ for the version)"

File report = new File(basedir, 'target/surefire-reports/TEST-HelloTest.xml')
assert report.isFile() : "no Surefire report for HelloTest: the tests did not run"
def suite = (report.getText('UTF-8') =~ /<testsuite [^>]*>/)[0]
assert suite =~ / tests="2"/ && suite =~ / failures="0"/ && suite =~ / errors="0"/ && suite =~ / skipped="0"/ : suite
return true
