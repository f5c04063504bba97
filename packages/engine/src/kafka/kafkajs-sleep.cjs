'use strict';
/**
 * kafkajs' utils/sleep.js, which its consumer sleeps in for the whole fetch wait whenever every
 * partition it reads is paused, with a way to end those sleeps early: `wake()`, called after a
 * partition is resumed, so that the consumer fetches it at once instead of up to a fetch wait
 * later. kafkajs' only other caller (utils/waitFor.js) polls a condition, which a wake makes it
 * check sooner.
 */
const sleepers = new Set();

function sleep(timeInMs) {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      sleepers.delete(done);
      resolve();
    };
    const timer = setTimeout(done, timeInMs);
    sleepers.add(done);
  });
}

/** Ends every sleep in progress. */
sleep.wake = () => {
  for (const done of [...sleepers]) done();
};

module.exports = sleep;
