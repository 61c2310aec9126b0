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

// The simulation test of a user's project: 50 seeds of a server and a client with a partition.
File sim = new File(basedir, 'target/surefire-reports/TEST-com.example.kettle.PingSimulationTest.xml')
assert sim.isFile() : "no Surefire report for PingSimulationTest: the simulation did not run"
String simXml = sim.getText('UTF-8')
def simSuite = (simXml =~ /<testsuite [^>]*>/)[0]
assert simSuite =~ / tests="1"/ && simSuite =~ / failures="0"/ && simSuite =~ / errors="0"/ : simSuite
return true
