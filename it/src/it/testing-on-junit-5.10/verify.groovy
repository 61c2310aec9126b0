// The extension and its module-info compiled against JUnit 5.10.0.
assert new File(basedir, 'target/classes/dev/simmer/testing/SimmerExtension.class').isFile() : "SimmerExtension did not compile"
assert new File(basedir, 'target/classes/module-info.class').isFile() : "module-info did not compile"
return true
