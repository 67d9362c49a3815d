package io.github.glidesocket.autoconfigure.web.netty;

import io.github.glidesocket.autoconfigure.web.WebServerSocket;
import org.junit.jupiter.api.Test;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;

/**
 * Tests for {@link GlideSocketNettyConfiguration}.
 */
class GlideSocketNettyConfigurationTests {

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NettyReactiveWebServerAutoConfiguration.class))
		.withUserConfiguration(GlideSocketNettyConfiguration.class)
		.withBean(WebServerSocket.class, GlideSocketNettyConfigurationTests::socket);

	@Test
	void runWithoutReactorNettyShouldConfigureNothing() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HttpServer.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ManagedSocketLoopResources.class));
	}

	@Test
	void runInAServletApplicationShouldConfigureNothing() {
		new WebApplicationContextRunner().withUserConfiguration(GlideSocketNettyConfiguration.class)
			.withBean(WebServerSocket.class, GlideSocketNettyConfigurationTests::socket)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ManagedSocketLoopResources.class));
	}

	@Test
	void runWithTcpOffShouldMoveTheApplicationServerToTheSocket() {
		this.contextRunner.withPropertyValues("glide.socket.web.tcp=false")
			.run((context) -> assertThat(context).hasSingleBean(ManagedSocketNettyCustomizer.class)
				.doesNotHaveBean(ManagedSocketNettyWebServer.class));
	}

	@Test
	void runWithTcpOnShouldServeTheSocketWithASecondServer() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(ManagedSocketNettyWebServer.class)
			.hasSingleBean(ManagedSocketNettyWebServerLifecycle.class)
			.doesNotHaveBean(ManagedSocketNettyCustomizer.class));
	}

	@Test
	void runWithoutAWebServerShouldServeNothingOnTheSocket() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(ManagedSocketNettyWebServerLifecycle.class).isRunning()).isTrue();
			then(context.getBean(WebServerSocket.class)).should(never()).serve(any(), any());
		});
	}

	private static WebServerSocket socket() {
		WebServerSocket socket = mock(WebServerSocket.class);
		given(socket.path()).willReturn("/tmp/glide-socket-netty-tests.sock");
		return socket;
	}

}
