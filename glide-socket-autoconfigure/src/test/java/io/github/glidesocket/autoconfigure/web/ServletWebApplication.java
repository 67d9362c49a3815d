package io.github.glidesocket.autoconfigure.web;

import java.util.concurrent.CountDownLatch;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet application the Tomcat and Jetty tests put on the web socket: a quick answer, and
 * one that waits until the test releases it (a request in flight).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ServletWebApplication {

	@RestController
	public static class Hello {

		public static volatile CountDownLatch entered = new CountDownLatch(1);

		public static volatile CountDownLatch release = new CountDownLatch(1);

		public static void reset() {
			entered = new CountDownLatch(1);
			release = new CountDownLatch(1);
		}

		@GetMapping("/hello")
		String hello() {
			return "hello";
		}

		@GetMapping("/slow")
		String slow() throws InterruptedException {
			entered.countDown();
			release.await();
			return "slow";
		}

	}

}
