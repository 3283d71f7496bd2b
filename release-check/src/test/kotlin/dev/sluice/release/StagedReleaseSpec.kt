package dev.sluice.release

import io.kotest.core.spec.style.FunSpec
import io.kotest.datatest.withData
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainAll
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldNotBeBlank
import io.kotest.matchers.string.shouldNotContain
import java.io.File
import java.util.jar.JarFile

/**
 * A published jar module: its folder, its JPMS name, one public class whose page the docs must
 * have, and the newest class file version (52 = Java 8) its classes may have.
 */
private data class Published(
    val artifactId: String,
    val moduleName: String,
    val keyClass: String,
    val maxClassVersion: Int = 52,
    /** A package of generated code: in the jars, not under src/main/kotlin. */
    val generatedPackage: String? = null,
)

private val publishedJars =
    listOf(
        Published("buffer-core", "dev.sluice.buffer", "StreamBuffer"),
        Published("audio-streamer", "dev.sluice.audio", "AsyncAudioStreamer"),
        // java.util.concurrent.Flow is Java 9: java-interop is for JVM Java callers.
        Published("java-interop", "dev.sluice.interop", "JavaAudioReader", maxClassVersion = 55),
        Published("android-audio", "dev.sluice.android", "AudioTrackSink"),
        // Ktor 3 targets Java 11.
        Published("ktor-websocket", "dev.sluice.ktor", "SpeechSocketConfig", maxClassVersion = 55),
        // The wire protocol's generated classes live in dev.sluice.grpc.internal.
        Published("grpc-edge", "dev.sluice.grpc", "EdgeSender", generatedPackage = "dev/sluice/grpc/internal/"),
    )

/** The class file major version of each class in [jar] (module-info aside). */
private fun classVersions(jar: File): Map<String, Int> =
    java.util.zip.ZipFile(jar).use { zip ->
        zip
            .entries()
            .toList()
            .filter { it.name.endsWith(".class") && !it.name.endsWith("module-info.class") }
            .associate { entry ->
                val header = zip.getInputStream(entry).use { it.readNBytes(8) }
                entry.name to (((header[6].toInt() and 0xff) shl 8) or (header[7].toInt() and 0xff))
            }
    }

/** The Kotlin metadata version ("2.2.0") of every Kotlin class in [jar], read from @kotlin.Metadata. */
private fun metadataVersions(jar: File): Set<String> {
    val names = jarEntries(jar).filter { it.endsWith(".class") }.map { it.removeSuffix(".class").replace('/', '.') }
    java.net.URLClassLoader(arrayOf(jar.toURI().toURL()), StagedReleaseSpec::class.java.classLoader).use { loader ->
        return names
            .mapNotNull { name ->
                // Annotations are read without initializing the class; android.* may be missing here.
                runCatching { Class.forName(name, false, loader).getAnnotation(Metadata::class.java) }.getOrNull()
            }.map { it.metadataVersion.joinToString(".") }
            .toSet()
    }
}

/** The reactor modules whose POM says they are published (sluice.publish.skip is false). */
private fun reactorPublished(): Set<String> =
    parseXml(File(projectRoot, "pom.xml"))
        .documentElement
        .children("modules")
        .flatMap { it.children("module") }
        .map { parseXml(File(projectRoot, "${it.textContent.trim()}/pom.xml")).documentElement }
        .filter { it.text("properties/sluice.publish.skip") == "false" }
        .map { it.text("artifactId")!! }
        .toSet()

/** Checks the fields Maven Central requires of every POM, and that the POM stands alone. */
private fun checkCentralFields(
    artifactId: String,
    pom: org.w3c.dom.Element,
) {
    for (field in listOf("name", "description", "url", "scm/connection", "scm/developerConnection", "scm/url")) {
        pom.text(field).shouldNotBeNull().shouldNotBeBlank()
    }
    val licenses = pom.children("licenses").flatMap { it.children("license") }
    licenses.map { it.text("name") } shouldBe listOf("Apache-2.0")
    licenses
        .single()
        .text("url")
        .shouldNotBeNull()
        .shouldNotBeBlank()
    val developers = pom.children("developers").flatMap { it.children("developer") }
    developers
        .map { it.text("name") }
        .filterNotNull()
        .filter { it.isNotBlank() }
        .size shouldBe developers.size
    check(developers.isNotEmpty()) { "$artifactId: no developers" }
    pom.text("groupId") shouldBe "dev.sluice"
    pom.text("artifactId") shouldBe artifactId
    pom.text("version") shouldBe sluiceVersion
    // Flattened: no parent to fetch, no build-machine property, no unresolved version.
    pom.children("parent").shouldBeEmpty()
    pom.children("properties").shouldBeEmpty()
    for (dependency in pom.children("dependencies").flatMap { it.children("dependency") }) {
        dependency.text("version").shouldNotBeNull().shouldNotContain("\${")
    }
}

class StagedReleaseSpec :
    FunSpec({
        test("the staging directory holds every published module and nothing else; the BOM lists each jar module") {
            val staged =
                stagingDir
                    .resolve("dev/sluice")
                    .listFiles()
                    ?.filter { it.isDirectory }
                    ?.map { it.name }
                    ?.toSet()
            staged shouldBe reactorPublished()
            staged shouldBe publishedJars.map { it.artifactId }.toSet() + "sluice-bom"

            val bom = StagedArtifact("sluice-bom").pom()
            val managed = bom.children("dependencyManagement").flatMap { it.children("dependencies") }.flatMap { it.children("dependency") }
            managed.map { it.text("artifactId") }.toSet() shouldBe publishedJars.map { it.artifactId }.toSet()
            for (dependency in managed) {
                dependency.text("groupId") shouldBe "dev.sluice"
                // The BOM's own version, as a consumer that imports it reads it.
                dependency.text("version") shouldBe "\${project.version}"
            }
        }

        test("the BOM's POM carries Central's fields, is a pom, and has no dependencies of its own") {
            val bom = StagedArtifact("sluice-bom").pom()
            checkCentralFields("sluice-bom", bom)
            bom.text("packaging") shouldBe "pom"
            bom.children("dependencies").shouldBeEmpty()
        }

        context("every published jar module has a complete POM, its jar, its sources jar and its javadoc jar") {
            withData(nameFn = { it.artifactId }, publishedJars) { module ->
                val artifact = StagedArtifact(module.artifactId)
                checkCentralFields(module.artifactId, artifact.pom())
                artifact.pom().text("packaging").let { check(it == null || it == "jar") { "packaging $it" } }

                // Every staged file is there, non-empty, with a matching SHA-1.
                val files =
                    listOf(artifact.file("pom"), artifact.file("jar"), artifact.file("jar", "sources"), artifact.file("jar", "javadoc"))
                for (file in files) {
                    check(file.isFile && file.length() > 0) { "missing or empty: $file" }
                    File(file.path + ".sha1").readText().trim() shouldBe sha1(file)
                }

                val packagePath = module.moduleName.replace('.', '/')
                val jar = artifact.file("jar")
                JarFile(jar).use { it.manifest.mainAttributes.getValue("Automatic-Module-Name") } shouldBe module.moduleName
                jarEntries(jar).filter { it.startsWith("$packagePath/") && it.endsWith(".class") } shouldContainAll
                    listOf("$packagePath/${module.keyClass}.class")

                // The sources jar holds exactly the module's Kotlin sources: src/main/kotlin, and
                // src/jvmMain/kotlin where a module has JVM-only actual declarations (buffer-core).
                val sources =
                    listOf("src/main/kotlin", "src/jvmMain/kotlin")
                        .map { File(projectRoot, "${module.artifactId}/$it") }
                        .filter { it.isDirectory }
                        .flatMap { root ->
                            root
                                .walkTopDown()
                                .filter { it.isFile }
                                .map { it.relativeTo(root).invariantSeparatorsPath }
                                .toList()
                        }.toSet()
                check(sources.isNotEmpty()) { "no sources for ${module.artifactId}" }
                jarEntries(artifact.file("jar", "sources"))
                    .filter { it.endsWith(".kt") }
                    .filterNot { e -> module.generatedPackage?.let { e.startsWith(it) } ?: false }
                    .toSet() shouldBe sources

                // Bytecode and Kotlin metadata that Android and Kotlin 2.2 consumers can read.
                val versions = classVersions(jar)
                check(versions.isNotEmpty())
                versions.filterValues { it > module.maxClassVersion }.keys shouldBe emptySet()
                metadataVersions(jar) shouldBe setOf("2.2.0")

                // The javadoc jar is Dokka's javadoc format: an index, the key class's page, no internal package.
                val docs = jarEntries(artifact.file("jar", "javadoc"))
                docs shouldContainAll listOf("index.html", "$packagePath/${module.keyClass}.html")
                docs.filter { it.contains("/internal/") }.shouldBeEmpty()
            }
        }
    })
