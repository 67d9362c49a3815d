package io.github.glidesocket.core.internal.binding;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.glidesocket.core.DirectoryCheck;
import io.github.glidesocket.core.RecordingEvents;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketPathValidationTests;
import io.github.glidesocket.core.SocketPathValidationTests.ExternalProcesses;
import io.github.glidesocket.core.SocketReference;
import io.github.glidesocket.core.SocketSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * In a directory everyone may write, with the sticky bit (as {@code /tmp}), a temp cleaner
 * removes the socket's file, and another user ({@code nobody}) puts a link to another socket of
 * this user's at the path before the socket is bound again: the probe through the link reaches
 * a trusted server, but the file at the path is a link, not a takeover.
 */
@Timeout(120)
class LinkAtAFreedPathTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@TempDir
	Path directory;

	@TempDir
	Path elsewhere;

	private final RecordingEvents events = new RecordingEvents();

	private SocketManager manager;

	private ServerSocketChannel otherService;

	@AfterEach
	void cleanUp() {
		UnixSocketBinder.stepHook = null;
		if (this.manager != null) {
			this.manager.close();
		}
		UnixSocketBinder.closeQuietly(this.otherService);
	}

	@Test
	void aLinkToAnotherTrustedSocketAtTheFreedPathIsReportedNotHandedOverTo() throws Exception {
		ExternalProcesses.assumePythonForNobody();
		Files.setPosixFilePermissions(this.directory, PosixFilePermissions.fromString("rwxrwxrwx"));
		ExternalProcesses.assumeNobodyCanEnter(this.directory);
		// The sticky bit: others may create entries, but not rename or remove this user's.
		ExternalProcesses.run(List.of("chmod", "1777", this.directory.toString()), WAIT);
		Path other = this.elsewhere.resolve("other.sock");
		this.otherService = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		this.otherService.bind(UnixDomainSocketAddress.of(other));
		Path socket = this.directory.resolve("s.sock");
		this.manager = SocketManager.builder()
			.shutdownHook(false)
			.fileCheckInterval(Duration.ZERO)
			.eventListener(this.events)
			.defaults(SocketOptions.builder()
				.takeover(true)
				.directoryCheck(DirectoryCheck.OFF)
				.handler(SocketPathValidationTests::echo)
				.build())
			.build();
		SocketReference reference = this.manager.getOrCreate(socket.toString());
		// The re-bind after the removal waits until the link is in place, as when the other user
		// is quicker.
		CountDownLatch linked = new CountDownLatch(1);
		AtomicBoolean held = new AtomicBoolean();
		UnixSocketBinder.stepHook = (step, where) -> {
			if (step == UnixSocketBinder.Step.BOUND && where.startsWith(this.directory) && held.compareAndSet(false, true)) {
				try {
					linked.await(WAIT.toSeconds(), TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		};
		Files.delete(socket);
		ExternalProcesses.run(ExternalProcesses.asNobody(List.of("ln", "-s", other.toString(), socket.toString())),
				WAIT);
		linked.countDown();
		String path = socket.toString();
		await().atMost(WAIT)
			.until(() -> this.events.events.contains("replaced " + path)
					|| this.events.events.contains("taken-over " + path));
		assertThat(this.events.events).doesNotContain("taken-over " + path);
		assertThat(reference.whenStopping().toCompletableFuture()).isNotDone();
		assertThat(this.manager.isSocketActive(path)).isTrue();
		assertThat(this.manager.snapshot(path).orElseThrow().file()).isEqualTo(SocketSnapshot.FileStatus.REPLACED);
		assertThat(Files.isSymbolicLink(socket)).as("the other user's link is left alone").isTrue();
	}

}
