/** Entry of the verify action bundle (dist/verify/index.js). PLACEHOLDER until the Verify: issue lands. */
import * as core from '@actions/core';

core.setFailed('isoforge verify action: not available yet');
