package io.github.glidesocket.autoconfigure;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.github.glidesocket.core.GlideSocketException;
import io.github.glidesocket.core.SocketInUseException;
import io.github.glidesocket.core.SocketLimitException;
import io.github.glidesocket.core.SocketPathException;
import io.github.glidesocket.core.SocketPathException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Tests for {@link GlideSocketFailureAnalyzer}.
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
class GlideSocketFailureAnalyzerTests {

	@TempDir
	Path directory;

	private String path(String name) {
		return this.directory.resolve(name).toString();
	}

	private FailureAnalysis analyze(GlideSocketException failure, String... properties) {
		MockEnvironment environment = new MockEnvironment();
		for (String property : properties) {
			int equals = property.indexOf('=');
			environment.setProperty(property.substring(0, equals), property.substring(equals + 1));
		}
		FailureAnalysis analysis = new GlideSocketFailureAnalyzer(environment)
			.analyze(new IllegalStateException("Failed to start bean 'glideSocketLifecycle'", failure));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getCause()).isSameAs(failure);
		return analysis;
	}

	@Test
	void socketInUseNamesThePathAndTheProperty() {
		FailureAnalysis analysis = analyze(new SocketInUseException(path("d.sock")), "glide.socket.path=" + path("d.sock"));
		assertThat(analysis.getDescription()).contains(path("d.sock")).contains("another live process");
		assertThat(analysis.getAction()).contains("stop the process").contains("'glide.socket.path'");
	}

	@Test
	void socketInUseShowsWhyItIsNotTakenOver() {
		String message = "Socket '" + path("d.sock") + "' is in use by a process running as uid=65534 (nobody) "
				+ "gid=65534 (nogroup), which the server policy same user does not allow, so it is not taken over";
		FailureAnalysis analysis = analyze(new SocketInUseException(path("d.sock"), message),
				"glide.socket.path=" + path("d.sock"));
		assertThat(analysis.getDescription()).isEqualTo("glide-socket could not create the socket '" + path("d.sock")
				+ "': another live process is accepting connections on it. " + message + ".")
			.doesNotContain("never takes over");
		assertThat(analysis.getAction()).contains("'glide.socket.takeover'").contains("'glide.socket.servers.users'");
	}

	@Test
	void failureOnNamedSocketNamesItsProperty() {
		FailureAnalysis analysis = analyze(new SocketInUseException(path("a.sock")),
				"glide.socket.sockets.admin.path=" + path("a.sock"));
		assertThat(analysis.getAction()).contains("'glide.socket.sockets.admin.path'");
	}

	@Test
	void failureOnAMemberOfANamedPoolNamesThePoolsProperty() {
		FailureAnalysis analysis = analyze(new SocketInUseException(path("kv-1.sock")),
				"glide.socket.sockets.kv.path=" + path("kv.sock"), "glide.socket.sockets.kv.pool-size=2");
		assertThat(analysis.getAction()).contains("'glide.socket.sockets.kv.path'");
	}

	@Test
	void pathTooLongAsksForAShorterPath() {
		FailureAnalysis analysis = analyze(
				new SocketPathException(path("d.sock"), Reason.TOO_LONG, "Socket path is too long: 130 bytes"));
		assertThat(analysis.getDescription()).contains("too long");
		assertThat(analysis.getAction()).contains("shorter path").contains("106 bytes").contains("'glide.socket.path'");
	}

	@Test
	void parentMissingNamesTheDirectory() {
		FailureAnalysis analysis = analyze(
				new SocketPathException(path("none/d.sock"), Reason.PARENT_MISSING, "directory does not exist"));
		assertThat(analysis.getAction()).contains("Create the directory '" + path("none") + "'")
			.contains("'glide.socket.path'");
	}

	@Test
	void parentNotWritableAsksForAccessOrAnotherPath() {
		FailureAnalysis analysis = analyze(
				new SocketPathException(path("d.sock"), Reason.PARENT_NOT_WRITABLE, "permission denied"));
		assertThat(analysis.getAction()).contains("write access").contains(this.directory.toString())
			.contains("'glide.socket.path'");
	}

	@Test
	void notASocketSaysTheFileIsNeverDeleted() {
		FailureAnalysis analysis = analyze(new SocketPathException(path("d.sock"), Reason.NOT_A_SOCKET, "regular file"));
		assertThat(analysis.getAction()).contains("never deletes").contains("'glide.socket.path'");
	}

	@Test
	void staleSocketPointsAtThePolicyProperty() {
		FailureAnalysis analysis = analyze(new SocketPathException(path("a.sock"), Reason.STALE_SOCKET, "stale"),
				"glide.socket.sockets.admin.path=" + path("a.sock"));
		assertThat(analysis.getAction()).contains("'glide.socket.sockets.admin.stale-socket-policy'")
			.contains("reclaim");
	}

	@Test
	void unencodablePathAsksForAUtf8Locale() {
		FailureAnalysis analysis = analyze(new SocketPathException(path("d.sock"), Reason.UNENCODABLE,
				"Socket path has characters that this JVM's file-name encoding (ANSI_X3.4-1968) cannot represent"));
		assertThat(analysis.getAction()).contains("LC_ALL=C.UTF-8").contains("'glide.socket.path'");
	}

	@Test
	void unsafeDirectoryAsksForAPrivateDirectoryAndNamesTheCheckProperty() {
		FailureAnalysis analysis = analyze(new SocketPathException(path("a.sock"), Reason.UNSAFE_DIRECTORY,
				"Cannot create socket: directory '" + this.directory + "' is writable by all users without the sticky bit"),
				"glide.socket.sockets.admin.path=" + path("a.sock"));
		assertThat(analysis.getDescription()).contains("writable by all users without the sticky bit");
		assertThat(analysis.getAction()).contains("chmod go-w")
			.contains("chmod +t")
			.contains("'glide.socket.sockets.admin.path'")
			.contains("'glide.socket.sockets.admin.directory-check'");
	}

	@Test
	void referenceLimitPointsAtMaxReferences() {
		FailureAnalysis analysis = analyze(new SocketLimitException(path("d.sock"), SocketLimitException.Kind.REFERENCES,
				"Socket '" + path("d.sock") + "' already has 2 references, its limit of references", 2));
		assertThat(analysis.getAction()).contains("'glide.socket.max-references'").contains("now 2");
	}

	@Test
	void socketLimitPointsAtMaxSockets() {
		FailureAnalysis analysis = analyze(new SocketLimitException(path("d.sock"), SocketLimitException.Kind.SOCKETS,
				"Cannot create socket: the manager already has 1 sockets, its limit of sockets", 1));
		assertThat(analysis.getAction()).contains("'glide.socket.max-sockets'");
	}

	@Test
	void withoutEnvironmentTheDefaultSocketPropertyIsNamed() {
		FailureAnalysis analysis = new GlideSocketFailureAnalyzer(null)
			.analyze(new SocketPathException(path("d.sock"), Reason.NOT_A_SOCKET, "regular file"));
		assertThat(analysis.getAction()).contains("'glide.socket.path'");
	}

	@Test
	void unrelatedFailureIsNotAnalyzed() {
		assertThat(new GlideSocketFailureAnalyzer(null).analyze(new IllegalStateException("other"))).isNull();
	}

	@Test
	void socketServedByAnotherLiveProcessFailsStartupWithAReadableAnalysis(CapturedOutput output) throws Exception {
		String path = path("busy.sock");
		Process other = startListener(path);
		try {
			SpringApplication application = new SpringApplication(EmptyApplication.class);
			application.setWebApplicationType(WebApplicationType.NONE);
			assertThatException().isThrownBy(() -> application.run("--glide.socket.path=" + path))
				.havingRootCause()
				.isInstanceOf(SocketInUseException.class);
			assertThat(other.isAlive()).isTrue();
			assertThat(Path.of(path)).exists();
			assertThat(output).contains("APPLICATION FAILED TO START")
				.contains("glide-socket could not create the socket '" + path
						+ "': another live process is accepting connections on it")
				.contains("configure this application to use another path with 'glide.socket.path'");
		}
		finally {
			other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
	}

	/**
	 * Start another process that binds and listens on a Unix socket and prints "ready".
	 */
	private static Process startListener(String path) throws IOException, InterruptedException {
		String script = String.join("\n", "import socket, sys, time", "s = socket.socket(socket.AF_UNIX)",
				"s.bind(sys.argv[1])", "s.listen(8)", "print('ready', flush=True)", "while True:",
				"    c, _ = s.accept()", "    c.close()");
		Process process = new ProcessBuilder("python3", "-c", script, path).redirectErrorStream(true).start();
		BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		String line = reader.readLine();
		if (!"ready".equals(line)) {
			process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			throw new IllegalStateException("The listener process did not start: " + line);
		}
		assertThat(Files.exists(Path.of(path))).isTrue();
		return process;
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(GlideSocketAutoConfiguration.class)
	static class EmptyApplication {

	}

}
