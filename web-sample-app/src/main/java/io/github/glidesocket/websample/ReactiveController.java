package io.github.glidesocket.websample;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The endpoints on Reactor Netty: a slow request waits on a timer, never on the event loop.
 */
@RestController
@ConditionalOnWebApplication(type = Type.REACTIVE)
class ReactiveController {

	private static final Log logger = LogFactory.getLog(ReactiveController.class);

	@GetMapping("/hello")
	String hello() {
		return Greeting.text();
	}

	@GetMapping("/slow")
	Mono<String> slow(@RequestParam long ms) {
		return Mono.fromRunnable(() -> logger.info(SlowRequest.STARTED))
			.then(Mono.delay(Duration.ofMillis(ms)))
			.doOnNext((tick) -> logger.info(SlowRequest.ANSWERED))
			.thenReturn("slept " + ms + " ms\n");
	}

}
