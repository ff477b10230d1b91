import { Inject, Injectable } from '@nestjs/common';
import type { SecretBox } from '@wharf/crypto';
import { Revisions } from '@wharf/releases';
import { SECRET_BOX } from '../core/tokens.js';

/** The releases library's revision builder as a Nest provider. */
@Injectable()
export class RevisionsService extends Revisions {
  constructor(@Inject(SECRET_BOX) box: SecretBox) {
    super(box);
  }
}
