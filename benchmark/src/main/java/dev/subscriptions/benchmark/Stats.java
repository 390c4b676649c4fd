package dev.subscriptions.benchmark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Percentiles of a series of measurements (nearest-rank). */
final class Stats {

	private final List<Double> sorted;

	Stats(List<Double> values) {
		this.sorted = new ArrayList<>(values);
		Collections.sort(this.sorted);
	}

	double percentile(double p) {
		if (this.sorted.isEmpty()) {
			return Double.NaN;
		}
		int rank = (int) Math.ceil(p / 100.0 * this.sorted.size());
		return this.sorted.get(Math.max(0, Math.min(this.sorted.size() - 1, rank - 1)));
	}

	double median() {
		return percentile(50);
	}

}
