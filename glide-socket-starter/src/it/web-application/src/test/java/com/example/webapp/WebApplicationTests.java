package com.example.webapp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application as a user would run it with only {@code glide.socket.web.path} set: in the
 * test JVM, and as two processes, the second taking the web socket over from the first.
 */
@Timeout(180)
class WebApplicationTests {

	@TempDir
	Path directory;

	@Test
	void onlyTheWebSocketIsBoundAndServesTheApplication() throws Exception {
		Path socket = this.directory.resolve("http.sock");
		try (ConfigurableApplicationContext context = SpringApplication.run(WebApplication.class,
				"--glide.socket.web.path=" + socket, "--server.port=0")) {
			assertThat(context.getBean(SocketManager.class).snapshots()).extracting(SocketSnapshot::path)
				.containsExactly(socket.toString());
			assertThat(get(socket)).isEqualTo("hello from " + ProcessHandle.current().pid());
		}
		assertThat(socket).doesNotExist();
	}

	@Test
	void aSecondInstanceTakesTheWebSocketOverAndTheFirstExitsZero() throws Exception {
		Path socket = this.directory.resolve("http.sock");
		Process first = start(socket, "first.log");
		Process second = null;
		try {
			awaitServedBy(first, socket);
			second = start(socket, "second.log");
			awaitServedBy(second, socket);
			Object secondsFile = fileKey(socket);
			assertThat(first.waitFor(2, TimeUnit.MINUTES)).as("the first instance exited:\n%s", log("first.log"))
				.isTrue();
			assertThat(first.exitValue()).as("exit code of the first instance:\n%s", log("first.log")).isZero();
			assertThat(fileKey(socket)).as("the socket file after the handover").isEqualTo(secondsFile);
			assertThat(get(socket)).isEqualTo("hello from " + second.pid());
		}
		finally {
			first.destroyForcibly();
			if (second != null) {
				second.destroyForcibly();
			}
		}
	}

	private Process start(Path socket, String log) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		if (Runtime.version().feature() >= 24) {
			command.add("--enable-native-access=ALL-UNNAMED");
		}
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), WebApplication.class.getName(),
				"--glide.socket.web.path=" + socket, "--glide.socket.takeover=true",
				"--glide.socket.exit-after-takeover=true", "--server.port=0"));
		return new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(this.directory.resolve(log).toFile())
			.start();
	}

	/**
	 * Wait until the process answers on the socket: the socket at the path is its own.
	 */
	private void awaitServedBy(Process process, Path socket) throws Exception {
		String expected = "hello from " + process.pid();
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
		while (true) {
			assertThat(process.isAlive()).as("the application runs").isTrue();
			try {
				if (expected.equals(get(socket))) {
					return;
				}
			}
			catch (IOException ex) {
				// Not bound yet.
			}
			assertThat(System.nanoTime()).as("time waited for %s", expected).isLessThan(deadline);
			Thread.sleep(50);
		}
	}

	private String log(String name) throws IOException {
		return Files.readString(this.directory.resolve(name), StandardCharsets.UTF_8);
	}

	/**
	 * {@code GET /hello} over the socket.
	 * @return the body of a 200 response, or the whole response otherwise
	 */
	private static String get(Path socket) throws IOException {
		try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			channel.connect(UnixDomainSocketAddress.of(socket));
			ByteBuffer request = ByteBuffer.wrap("GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
				.getBytes(StandardCharsets.US_ASCII));
			while (request.hasRemaining()) {
				channel.write(request);
			}
			ByteArrayOutputStream response = new ByteArrayOutputStream();
			ByteBuffer buffer = ByteBuffer.allocate(4096);
			while (channel.read(buffer) >= 0) {
				response.write(buffer.array(), 0, buffer.position());
				buffer.clear();
			}
			String text = response.toString(StandardCharsets.UTF_8);
			int body = text.indexOf("\r\n\r\n");
			if (!text.startsWith("HTTP/1.1 200") || body < 0 || text.contains("Transfer-Encoding: chunked")) {
				return text;
			}
			return text.substring(body + 4);
		}
	}

	private static Object fileKey(Path path) throws IOException {
		return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
	}

}
