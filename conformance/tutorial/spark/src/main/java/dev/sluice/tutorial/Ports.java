package dev.sluice.tutorial;

/**
 * The one change from the tutorial's programs: the socket ports come from the command line
 * (the driver picks free ports), defaulting to the tutorial's 12345 and 12346.
 */
final class Ports {
  private Ports() {}

  static int port(String[] args, int index, int tutorialPort) {
    return args.length > index ? Integer.parseInt(args[index]) : tutorialPort;
  }
}
