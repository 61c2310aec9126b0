// The three tests of KettleTest ran on this project's JUnit and passed.
File report = new File(basedir, 'target/surefire-reports/TEST-com.example.kettle.KettleTest.xml')
assert report.isFile() : "no Surefire report for KettleTest: the tests did not run"
String xml = report.getText('UTF-8')
def suite = (xml =~ /<testsuite [^>]*>/)[0]
assert suite =~ / tests="3"/ : "expected 3 tests: " + suite
assert suite =~ / failures="0"/ && suite =~ / errors="0"/ && suite =~ / skipped="0"/ : suite
for (name in ['boilsInThreeMinutes', 'runsOnTheExpectedEngine', 'theProjectsJUnitDecides']) {
    assert xml.contains('<testcase name="' + name) : name + " did not run"
}
return true
