package io.github.glidesocket.actuate;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.glidesocket.actuate.GlideSocketsEndpoint.SocketDescriptor;
import io.github.glidesocket.actuate.GlideSocketsEndpoint.SocketsDescriptor;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link GlideSocketsEndpoint} with a real manager.
 */
@Timeout(30)
class GlideSocketsEndpointTests {

	@TempDir
	Path directory;

	private final CountDownLatch release = new CountDownLatch(1);

	private SocketManager manager;

	private GlideSocketsEndpoint endpoint;

	private String path(String name) {
		return this.directory.resolve(name).toString();
	}

	private void start() {
		SocketOptions serving = SocketOptions.builder()
			.handler((connection) -> this.release.await(20, TimeUnit.SECONDS))
			.build();
		this.manager = SocketManager.builder()
			.shutdownHook(false)
			.defaults(serving)
			.socket(path("a.sock"), SocketOptions.builder().permissions("rw-rw----").build())
			.build();
		this.endpoint = new GlideSocketsEndpoint(this.manager,
				Map.of("default", path("d.sock"), "admin", path("a.sock")));
	}

	@AfterEach
	void stop() {
		this.release.countDown();
		if (this.manager != null) {
			this.manager.close();
		}
	}

	@Test
	void listsBoundConfiguredAndOtherSockets() throws IOException {
		start();
		Instant before = Instant.now();
		try (SocketReference main = this.manager.getOrCreate(path("d.sock"));
				SocketReference copy = main.retain();
				SocketReference other = this.manager.getOrCreate(path("o.sock"));
				AFUNIXSocket client = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(new File(path("d.sock"))))) {
			await().atMost(Duration.ofSeconds(5)).until(() -> this.manager.activeConnectionCount() == 1);
			SocketsDescriptor sockets = this.endpoint.sockets();
			assertThat(sockets.getActiveSockets()).isEqualTo(2);
			assertThat(sockets.getReferences()).isEqualTo(3);
			assertThat(sockets.getConnections()).isEqualTo(1);
			assertThat(sockets.getLeaks()).isZero();
			assertThat(sockets.getSockets()).extracting(SocketDescriptor::getName)
				.containsExactlyInAnyOrder("default", "admin", "other");
			SocketDescriptor main0 = find(sockets, "default");
			assertThat(main0.getPath()).isEqualTo(path("d.sock"));
			assertThat(main0.getState()).isEqualTo("ACTIVE");
			assertThat(main0.getReferences()).isEqualTo(2);
			assertThat(main0.getConnections()).isEqualTo(1);
			assertThat(main0.getAccepted()).isEqualTo(1);
			assertThat(main0.getRejected()).isZero();
			assertThat(main0.getAcceptFailures()).isZero();
			assertThat(main0.getBoundSince()).isBetween(before.minusSeconds(1), Instant.now());
			assertThat(main0.getFile()).isEqualTo("INTACT");
			assertThat(main0.getPermissions()).isEqualTo("rw-------");
			assertThat(main0.getFileMode()).isEqualTo("rw-------");
			assertThat(main0.getPeerPolicy()).isNotEmpty();
			SocketDescriptor admin = find(sockets, "admin");
			assertThat(admin.getState()).isEqualTo(GlideSocketsEndpoint.UNBOUND);
			assertThat(admin.getReferences()).isZero();
			assertThat(admin.getPermissions()).isEqualTo("rw-rw----");
			assertThat(admin.getFileMode()).as("no file at an unbound socket's path").isNull();
			assertThat(find(sockets, "other").getPath()).isEqualTo(path("o.sock"));
		}
	}

	@Test
	void showsTheFilesRealModeBesideTheConfiguredPermissions() throws IOException {
		start();
		try (SocketReference main = this.manager.getOrCreate(path("d.sock"))) {
			// As another process with access to the file may (or systemd's SocketMode= for an
			// inherited socket): the mode is no longer the configured one.
			Files.setPosixFilePermissions(Path.of(path("d.sock")), PosixFilePermissions.fromString("rw-rw-rw-"));
			SocketDescriptor socket = this.endpoint.socket("default");
			assertThat(socket.getPermissions()).isEqualTo("rw-------");
			assertThat(socket.getFileMode()).isEqualTo("rw-rw-rw-");
		}
	}

	@Test
	void selectsOneSocketByName() {
		start();
		try (SocketReference main = this.manager.getOrCreate(path("d.sock"))) {
			SocketDescriptor socket = this.endpoint.socket("default");
			assertThat(socket).isNotNull();
			assertThat(socket.getReferences()).isEqualTo(1);
			assertThat(this.endpoint.socket("admin").getState()).isEqualTo(GlideSocketsEndpoint.UNBOUND);
			assertThat(this.endpoint.socket("nope")).isNull();
		}
	}

	@Test
	void refusedConnectionsAreCounted() throws IOException {
		start();
		try (SocketReference admin = this.manager.getOrCreate(path("a.sock"));
				AFUNIXSocket client = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(new File(path("a.sock"))))) {
			InputStream input = client.getInputStream();
			assertThat(endOf(input)).isTrue();
			await().atMost(Duration.ofSeconds(5)).until(() -> this.endpoint.socket("admin").getRejected() == 1);
		}
	}

	private static boolean endOf(InputStream input) {
		try {
			return input.read() == -1;
		}
		catch (IOException ex) {
			return true;
		}
	}

	private static SocketDescriptor find(SocketsDescriptor sockets, String name) {
		return sockets.getSockets().stream().filter((socket) -> socket.getName().equals(name)).findFirst().orElseThrow();
	}

}
