package com.example.plainjava;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Uses glide-socket-core from plain Java, as the guide (docs/core-api.md) shows, with nothing of Spring around.
 */
@Timeout(60)
class PlainJavaConsumerTests {

	@TempDir
	Path directory;

	@Test
	void classPathHasTheCoreAndNoSpring() {
		List<String> classPath = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
		assertThat(classPath).anyMatch((entry) -> entry.contains("glide-socket-core"));
		assertThat(classPath).noneMatch((entry) -> entry.contains(File.separator + "springframework" + File.separator)
				|| Path.of(entry).getFileName().toString().startsWith("spring-"));
		assertThat(loadable("io.github.glidesocket.core.SocketManager")).isTrue();
		assertThat(loadable("org.springframework.core.SpringVersion")).isFalse();
		assertThat(loadable("org.springframework.beans.factory.BeanFactory")).isFalse();
		assertThat(loadable("org.springframework.context.ApplicationContext")).isFalse();
		assertThat(loadable("org.springframework.boot.SpringApplication")).isFalse();
	}

	@Test
	void sharesOneSocketBetweenReferencesAndRemovesItsFileWithTheLast() throws IOException {
		String path = this.directory.resolve("admin.sock").toString();
		try (SocketManager manager = SocketManager.builder()
			.defaults(SocketOptions.builder()
				.handler((connection) -> connection.inputStream().transferTo(connection.outputStream()))
				.build())
			.build()) {
			SocketReference first = manager.getOrCreate(path);
			SocketReference second = manager.getOrCreate(path);
			assertThat(first.referenceCount()).isEqualTo(2);
			assertThat(Path.of(path)).exists();
			try (AFUNIXSocket client = first.connect()) {
				assertThat(echo(client, "over junixsocket")).isEqualTo("over junixsocket");
			}
			assertThat(echoOverJdkChannel(Path.of(path), "over the JDK's channel")).isEqualTo("over the JDK's channel");
			second.close();
			assertThat(first.referenceCount()).isOne();
			assertThat(Path.of(path)).exists();
			first.close();
			assertThat(first.isActive()).isFalse();
			assertThat(manager.isSocketActive(path)).isFalse();
			assertThat(Path.of(path)).doesNotExist();
			assertThat(this.directory).isEmptyDirectory();
			assertThatExceptionOfType(IOException.class)
				.isThrownBy(() -> SocketChannel.open(UnixDomainSocketAddress.of(path)).close());
		}
	}

	private static boolean loadable(String className) {
		try {
			Class.forName(className, false, PlainJavaConsumerTests.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException ex) {
			return false;
		}
	}

	/**
	 * Send a line and read the echoed line. (Not a half-close: with junixsocket 2.11.1 on JDK 25,
	 * {@code shutdownOutput()} on a connected socket throws "Socket is not connected".)
	 */
	private static String echo(AFUNIXSocket client, String text) throws IOException {
		OutputStream output = client.getOutputStream();
		output.write((text + "\n").getBytes(StandardCharsets.UTF_8));
		output.flush();
		InputStream input = client.getInputStream();
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int next;
		while ((next = input.read()) != -1 && next != '\n') {
			line.write(next);
		}
		return line.toString(StandardCharsets.UTF_8);
	}

	private static String echoOverJdkChannel(Path path, String text) throws IOException {
		try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			channel.connect(UnixDomainSocketAddress.of(path));
			ByteBuffer request = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
			while (request.hasRemaining()) {
				channel.write(request);
			}
			channel.shutdownOutput();
			ByteArrayOutputStream reply = new ByteArrayOutputStream();
			ByteBuffer buffer = ByteBuffer.allocate(1024);
			while (channel.read(buffer) != -1) {
				reply.write(buffer.array(), 0, buffer.position());
				buffer.clear();
			}
			return reply.toString(StandardCharsets.UTF_8);
		}
	}

}
