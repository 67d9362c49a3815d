package io.github.glidesocket.autoconfigure;

import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.glidesocket.core.SocketConnectionHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code glide.socket.shutdown=immediate}: the connections being served are closed at once when
 * the context closes, instead of being given the shutdown phase's timeout (here 60 seconds,
 * longer than the test may take) to finish.
 */
@ExtendWith(OutputCaptureExtension.class)
class ShutdownPropertyTests {

	@TempDir
	Path directory;

	private final CountDownLatch entered = new CountDownLatch(1);

	private final CountDownLatch release = new CountDownLatch(1);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(GlideSocketAutoConfiguration.class))
		.withBean("glideSocketHandler", SocketConnectionHandler.class, () -> this::blockUntilReleased)
		.withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=60s");

	private void blockUntilReleased(io.github.glidesocket.core.SocketConnection connection) throws Exception {
		this.entered.countDown();
		this.release.await();
	}

	@Test
	@Timeout(30)
	void immediateShutdownClosesConnectionsInFlightWithoutWaitingForThem(CapturedOutput output) throws Exception {
		Path socket = this.directory.resolve("d.sock");
		try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			this.contextRunner.withPropertyValues("glide.socket.path=" + socket, "glide.socket.shutdown=immediate")
				.run((context) -> {
					client.connect(UnixDomainSocketAddress.of(socket));
					assertThat(this.entered.await(10, TimeUnit.SECONDS)).as("handler entered").isTrue();
				});
			// The context is closed, with the handler still blocked: the connection was closed.
			InputStream in = Channels.newInputStream(client);
			assertThat(in.read()).isEqualTo(-1);
			assertThat(this.release.getCount()).as("handler still blocked").isOne();
			assertThat(output).contains("Shutting down glide-socket sockets immediately, closing 1 active connection(s)");
		}
		finally {
			this.release.countDown();
		}
	}

}
