package io.github.glidesocket.websample;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The endpoints on a servlet server (Tomcat, Jetty): a request holds its thread, as servlet
 * applications do.
 */
@RestController
@ConditionalOnWebApplication(type = Type.SERVLET)
class ServletController {

	private static final Log logger = LogFactory.getLog(ServletController.class);

	@GetMapping("/hello")
	String hello() {
		return Greeting.text();
	}

	@GetMapping("/slow")
	String slow(@RequestParam long ms) throws InterruptedException {
		logger.info(SlowRequest.STARTED);
		Thread.sleep(ms);
		logger.info(SlowRequest.ANSWERED);
		return "slept " + ms + " ms\n";
	}

}
