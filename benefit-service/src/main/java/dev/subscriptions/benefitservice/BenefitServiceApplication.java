package dev.subscriptions.benefitservice;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * benefit-service: owns benefits and the grants that say what a customer may use now.
 */
@SpringBootApplication
@EnableScheduling
public class BenefitServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(BenefitServiceApplication.class, args);
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
