package io.github.glidesocket.benchmarks;

import io.github.glidesocket.benchmarks.baseline.OriginalDesignRegistry;

/**
 * {@link RegistryScaleBenchmark} for the seed's original design.
 */
public class OriginalDesignRegistryScaleBenchmark extends RegistryScaleBenchmark<OriginalDesignRegistry.Handle> {

	@Override
	protected RegistryUnderTest<OriginalDesignRegistry.Handle> createRegistry() {
		return OriginalDesign.registryUnderTest();
	}

}
