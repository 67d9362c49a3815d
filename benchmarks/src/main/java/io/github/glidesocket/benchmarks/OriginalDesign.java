package io.github.glidesocket.benchmarks;

import io.github.glidesocket.benchmarks.baseline.OriginalDesignRegistry;

/**
 * The seed's original design as a {@link RegistryUnderTest}, removing no files.
 */
final class OriginalDesign {

	private OriginalDesign() {
	}

	static RegistryUnderTest<OriginalDesignRegistry.Handle> registryUnderTest() {
		OriginalDesignRegistry registry = new OriginalDesignRegistry();
		return RegistryUnderTest.of(registry::getOrCreate, OriginalDesignRegistry.Handle::close, registry::close);
	}

}
