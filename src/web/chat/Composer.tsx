/** The composer moved to `src/web/composer/`; this keeps the chat page's import path. */
export { Composer, type ComposerEditText, type ComposerProps } from '../composer/Composer';
export { isComposing, isSendKey } from '../composer/use-composer-keys';
