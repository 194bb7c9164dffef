// The states the visual review shows, and the tests and the README's screenshots take: every
// layout of the banner and of the preferences, each in the light and the dark theme.
export const LAYOUTS = [
  { id: 'bar-bottom', title: 'Bar at the bottom (default)', layout: { banner: 'bar', position: 'bottom' } },
  { id: 'bar-top', title: 'Bar at the top', layout: { banner: 'bar', position: 'top' } },
  { id: 'box-bottom-right', title: 'Box, bottom right', layout: { banner: 'box', position: 'bottom-right' } },
  { id: 'box-top-left', title: 'Box, top left', layout: { banner: 'box', position: 'top-left' } },
  { id: 'center', title: 'Box in the centre', layout: { banner: 'center' } },
  { id: 'preferences-dialog', title: 'Preferences as a dialog (default)', layout: { preferences: 'dialog' }, view: 'preferences' },
  { id: 'preferences-panel', title: 'Preferences as a side panel', layout: { preferences: 'panel' }, view: 'preferences' },
];
export const THEMES = ['light', 'dark'];
export const LANGUAGES = ['en', 'fr', 'de', 'it', 'es'];

/** The address of one state's frame. */
export function frameUrl(layout, theme, language) {
  return `/review/frame.html?${new URLSearchParams({ state: layout.id, theme, lang: language })}`;
}
