/** Entry of the verify action bundle (dist/verify/index.js). */
import { endOnSignals } from '../interrupt.js';
import { runVerifyAction } from './verify-run.js';

await runVerifyAction(endOnSignals());
