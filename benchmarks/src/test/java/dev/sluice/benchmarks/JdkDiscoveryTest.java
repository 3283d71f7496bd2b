package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the report finds the JDK 21+ that runs B8's virtual-thread peer. */
class JdkDiscoveryTest {
  @Test
  void theMajorVersionComesFromTheReleaseFile(@TempDir Path dir) throws Exception {
    Path jdk25 = Files.createDirectories(dir.resolve("a"));
    Files.write(jdk25.resolve("release"), "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"25.0.1\"\n".getBytes(StandardCharsets.UTF_8));
    Path jdk17 = Files.createDirectories(dir.resolve("b"));
    Files.write(jdk17.resolve("release"), "JAVA_VERSION=\"17.0.15\"\n".getBytes(StandardCharsets.UTF_8));
    Path none = Files.createDirectories(dir.resolve("c"));
    assertEquals(25, Report.majorVersion(jdk25));
    assertEquals(17, Report.majorVersion(jdk17));
    assertEquals(0, Report.majorVersion(none));
  }

  @Test
  void theRunningJdkReadsAsItsOwnVersion() throws Exception {
    Path home = Path.of(System.getProperty("java.home"));
    if (Files.isRegularFile(home.resolve("release"))) assertEquals(Runtime.version().feature(), Report.majorVersion(home));
    else assertEquals(0, Report.majorVersion(home));
  }

  @Test
  void theReportNamesNoJvmPath() {
    String json = "[{\"jmhVersion\" : \"1.37\",\n  \"jvm\" : \"/opt/some/jdk/bin/java\",\n  \"jdkVersion\" : \"17.0.15\"}]";
    assertEquals("[{\"jmhVersion\" : \"1.37\",\n  \"jvm\" : \"java\",\n  \"jdkVersion\" : \"17.0.15\"}]", Report.stripJvmPaths(json));
  }
}
