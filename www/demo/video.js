// A harmless stand-in for our video player: remembers the viewer's settings, as the
// functional category's table says (local storage key `tour_player`).
localStorage.setItem('tour_player', JSON.stringify({ volume: 0.8, subtitles: 'off' }));
